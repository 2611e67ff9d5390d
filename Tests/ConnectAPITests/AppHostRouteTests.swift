import ConnectAPI
import Testing

@Suite struct AppHostRouteTests {
    let host = "4f6e1c2a-7b3d-4e5f-8a9b-0c1d2e3f4a5b.apps.us-east-1.getdynamiq.ai"

    @Test func theTwoAppHostCallsMatchWithTheirHostname() throws {
        let token = try #require(AppHostRoute.match(method: "POST", sandboxPath: "/apps/\(host)/v1/connect/tokens"))
        #expect(token.route == .createToken && token.hostname == host)
        let status = try #require(AppHostRoute.match(method: "GET", sandboxPath: "/apps/\(host)/v1/requirements/status"))
        #expect(status.route == .requirementsStatus && status.hostname == host)
    }

    @Test(arguments: [
        ("GET", "/apps/h.example.com/v1/connect/tokens"),
        ("POST", "/apps/h.example.com/v1/requirements/status"),
        ("POST", "/apps/h.example.com/v1/connect/tokens/"),
        ("POST", "/apps//v1/connect/tokens"),
        ("POST", "/apps/../v1/connect/tokens"),
        ("POST", "/apps/h.example.com/../v1/connect/tokens"),
        ("POST", "/apps/h%2Fx/v1/connect/tokens"),
        ("POST", "/apps/h.example.com/v1/connect/requirements"),
        ("GET", "/apps/h.example.com/v1/connect/requirements/status"),
        ("POST", "/apps/h.example.com"),
        ("POST", "/v1/connect/tokens"),
        ("POST", "/demo/apps/h.example.com/v1/connect/tokens"),
    ])
    func everythingElseIsRefused(method: String, path: String) {
        #expect(AppHostRoute.match(method: method, sandboxPath: path[...]) == nil)
    }

    @Test func theReferencesOperationsAreTheRoutes() {
        #expect(AppHostRoute.documented(method: "post", path: "/v1/connect/tokens") == .createToken)
        #expect(AppHostRoute.documented(method: "get", path: "/v1/requirements/status") == .requirementsStatus)
        #expect(AppHostRoute.documented(method: "get", path: "/v1/connect/requirements/status") == nil)
    }
}
