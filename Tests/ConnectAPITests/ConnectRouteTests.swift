import ConnectAPI
import Testing

@Suite struct ConnectRouteTests {
    let id = "5e4d3c2b-1a09-4f8e-9d7c-6b5a43210fed"

    @Test func theContractsRoutesMatch() {
        #expect(ConnectRoute.match(method: "GET", path: "/v1/connect/requirements") == .listRequirements)
        #expect(ConnectRoute.match(method: "GET", path: "/v1/connect/requirements/status") == .requirementStatuses)
        #expect(ConnectRoute.match(method: "POST", path: "/v1/connect/requirements/\(id)/credentials") == .submitCredentials(requirementID: id))
        #expect(ConnectRoute.match(method: "POST", path: "/v1/connect/requirements/\(id)/oauth2/authorize") == .authorizeOAuth2(requirementID: id))
        #expect(ConnectRoute.match(method: "POST", path: "/v1/connect/requirements/\(id)/pipedream/authorize") == .authorizeActionConnector(requirementID: id))
    }

    @Test(arguments: [
        ("POST", "/v1/connect/requirements"),
        ("GET", "/v1/connect/requirements/\("5e4d3c2b-1a09-4f8e-9d7c-6b5a43210fed")/credentials"),
        ("POST", "/v1/connect/requirements/not-a-uuid/credentials"),
        ("POST", "/v1/connect/requirements/../credentials"),
        ("GET", "/v1/connect/requirements/"),
        ("GET", "/v1/connect/requirements/status/"),
        ("GET", "/v1/connect/tokens"),
        ("POST", "/v1/connect/tokens"),
        ("GET", "/v1/requirements/status"),
        ("DELETE", "/v1/connect/requirements/5e4d3c2b-1a09-4f8e-9d7c-6b5a43210fed/credentials"),
        ("GET", "//v1/connect/requirements"),
        ("GET", "/v1/connect/requirements/status/../status"),
    ])
    func everythingElseIsRefused(method: String, path: String) {
        #expect(ConnectRoute.match(method: method, path: path) == nil)
    }

    @Test func aRoutesPathMatchesItself() {
        for route in [ConnectRoute.listRequirements, .requirementStatuses, .submitCredentials(requirementID: id),
                      .authorizeOAuth2(requirementID: id), .authorizeActionConnector(requirementID: id)] {
            #expect(ConnectRoute.match(method: route.method, path: route.path) == route)
        }
    }

    @Test func uuidsAreCheckedByShape() {
        #expect(ConnectRoute.isUUID("9B8E2F4D-1C3A-4D5E-8F60-718293A4B5C6"))
        #expect(!ConnectRoute.isUUID("9b8e2f4d1c3a4d5e8f60718293a4b5c6"))
        #expect(!ConnectRoute.isUUID("9b8e2f4d-1c3a-4d5e-8f60-718293a4b5cg"))
    }
}
