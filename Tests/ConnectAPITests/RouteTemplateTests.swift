import ConnectAPI
import Foundation
import Testing

/// The deploy configs' regular expressions come from the same templates as
/// `ConnectRoute.match`: over a corpus of paths, both say the same.
@Suite struct RouteTemplateTests {
    static let id = "5e4d3c2b-1a09-4f8e-9d7c-6b5a43210fed"

    static let paths: [String] = {
        var paths = ["/v1/connect/requirements", "/v1/connect/requirements/", "/v1/connect/requirements/status",
                     "/v1/connect/requirements/status/", "/v1/connect/requirements/status/x", "/v1/connect/requirementsx",
                     "/v1/connect/requirements.json", "/v1/connect/tokens", "/v1/connect/", "/v1/connect", "/v1/", "/v1",
                     "//v1/connect/requirements", "/v1//connect/requirements", "/V1/connect/requirements",
                     "/v1/connect/requirements/status/../status", "/x/v1/connect/requirements"]
        for id in [id, id.uppercased(), "5e4d3c2b-1a09-4f8e-9d7c-6b5a43210fe", "5e4d3c2b-1a09-4f8e-9d7c-6b5a43210fedd",
                   "5e4d3c2b1a094f8e9d7c6b5a43210fed", "5e4d3c2b-1a09-4f8e-9d7c-6b5a43210feg", "not-a-uuid", "", ".."] {
            for tail in ["/credentials", "/oauth2/authorize", "/pipedream/authorize", "/credentials/", "/oauth2", "/pipedream/x",
                         "/oauth2/authorize/x", "", "/status"] {
                paths.append("/v1/connect/requirements/\(id)\(tail)")
            }
        }
        return paths
    }()

    @Test func theRegularExpressionsAgreeWithMatch() throws {
        let expressions = try ConnectRoute.patternsByMethod.map { group in
            (group.method, try group.patterns.map { try NSRegularExpression(pattern: $0) })
        }
        var matched = 0
        for method in ["GET", "POST", "PUT", "DELETE", "HEAD"] {
            for path in Self.paths {
                let range = NSRange(path.startIndex..., in: path)
                let byRegex = expressions.contains { group in
                    group.0 == method && group.1.contains { $0.firstMatch(in: path, range: range) != nil }
                }
                let byMatch = ConnectRoute.match(method: method, path: path) != nil
                #expect(byRegex == byMatch, "\(method) \(path)")
                if byMatch { matched += 1 }
            }
        }
        // Every route of the allow-list is in the corpus, twice for each id route (either case).
        #expect(matched == 2 + 3 * 2)
    }

    @Test func everyRouteHasOneTemplate() {
        let routes: [ConnectRoute] = [.listRequirements, .requirementStatuses, .submitCredentials(requirementID: Self.id),
                                      .authorizeOAuth2(requirementID: Self.id), .authorizeActionConnector(requirementID: Self.id)]
        #expect(ConnectRoute.templates.count == routes.count)
        for route in routes {
            let fitting = ConnectRoute.templates.filter { template in
                template.method == route.method
                    && (try? NSRegularExpression(pattern: template.pathPattern))?.firstMatch(
                        in: route.path, range: NSRange(route.path.startIndex..., in: route.path)) != nil
            }
            #expect(fitting.count == 1, "\(route)")
        }
    }
}
