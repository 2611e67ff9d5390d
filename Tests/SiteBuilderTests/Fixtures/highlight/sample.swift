import Foundation

/// Docs.
struct Token: Decodable { let value: String; var count = 0x1F }
let (data, _) = try await URLSession.shared.data(from: URL(string: "https://x/\(path)")!)
guard let token = try? JSONDecoder().decode(Token.self, from: data) else { return nil } // nope
