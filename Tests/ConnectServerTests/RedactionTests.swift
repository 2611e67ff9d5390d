@testable import ConnectServer
import Testing

/// Defect 9: every spelling of a token parameter, a raw fragment, and URL credentials.
struct RedactionTests {
    @Test(arguments: [
        ("token=abc", "token=REDACTED"),
        ("x=1;token=abc", "x=1;token=REDACTED"),
        ("x=1&token=abc&y=2", "x=1&token=REDACTED&y=2"),
        ("token+=abc", "token+=REDACTED"),
        ("token%5B%5D=abc", "token%5B%5D=REDACTED"),
        ("%74oken=abc", "%74oken=REDACTED"),
        ("Access_Token=abc", "Access_Token=REDACTED"),
        ("connect-token=abc;a=b", "connect-token=REDACTED;a=b"),
        ("tokens=abc", "tokens=abc"),
        ("q=token", "q=token"),
        ("a=1#token=abc", "a=1#REDACTED"),
    ])
    func queryValuesNamedTokenAreRedacted(query: String, logged: String) {
        #expect(Redaction.query(query[...]) == logged)
    }

    @Test func aRawFragmentInThePathIsRedacted() {
        #expect(Redaction.target(path: "/connect/#token=eyJ.secret", query: nil) == "/connect/#REDACTED")
        #expect(Redaction.target(path: "/connect/", query: "token=eyJ.secret#x") == "/connect/?token=REDACTED#REDACTED")
    }

    @Test func urlCredentialsAreRemoved() {
        #expect(Redaction.url("http://user:password@host:8080/base") == "http://host:8080/base")
        #expect(Redaction.url("https://api.example/v") == "https://api.example/v")
        #expect(Redaction.url(nil) == nil)
    }
}
