/// The Markdown published beside every page (`index.md`), for readers and for LLMs.
enum MarkdownCopy {
    static func guide(_ page: SourcePage) -> String {
        var text = "# \(page.frontMatter.title)\n\n"
        if let description = page.frontMatter.description { text += "> \(description)\n\n" }
        return text + trimmedLines(page.body) + "\n"
    }

    static func operation(_ operation: APIOperation) -> String {
        var text = "# \(operation.summary)\n\n"
        if !operation.description.isEmpty { text += operation.description + "\n\n" }
        text += "`\(operation.method) \(operation.path)`\n\nServer: \(operation.server.url)"
        if let description = operation.server.description { text += " (\(description))" }
        text += "\n\n"
        if !operation.security.isEmpty {
            text += "## Authorization\n\n"
            for scheme in operation.security {
                text += "- `\(scheme.name)`: `\(scheme.header)`, in \(scheme.location)."
                if let description = scheme.description { text += " \(description)" }
                text += "\n"
            }
            if operation.securityIsOptional { text += "- None, for public apps.\n" }
            text += "\n"
        }
        for (title, fields) in [("Path Parameters", operation.pathParameters), ("Query Parameters", operation.queryParameters)] where !fields.isEmpty {
            text += "## \(title)\n\n" + list(fields, depth: 0) + "\n"
        }
        if let body = operation.requestBody {
            text += "## Request Body\n\n`\(body.mediaType)`"
            if let description = body.description { text += ": \(description)" }
            text += "\n\n" + list(body.fields, depth: 0)
            if let example = body.exampleJSON { text += "\n```json\n\(example)\n```\n" }
            text += "\n"
        }
        text += "## Responses\n\n"
        for response in operation.responses {
            text += "### \(response.status): \(response.description)\n\n"
            if let example = response.exampleJSON { text += "```json\n\(example)\n```\n\n" }
        }
        text += "## Example request\n\n```bash\n\(CurlSample.make(for: operation))\n```\n"
        return text
    }

    static func apiIndex(_ api: APIReference) -> String {
        var text = "# API reference\n\n"
        if let description = api.description { text += description + "\n\n" }
        for tag in api.tags {
            text += "## \(tag.name)\n\n"
            if let description = tag.description { text += description + "\n\n" }
            for operation in api.operations where operation.tag == tag.name {
                text += "- [\(operation.summary)](\(operation.url)): `\(operation.method) \(operation.path)`\n"
            }
            text += "\n"
        }
        return text
    }

    /// The text without blank lines or spaces at either end; cheap on long pages.
    private static func trimmedLines(_ text: String) -> String {
        let utf8 = text.utf8
        let isBlank = { (byte: UInt8) in byte == 10 || byte == 13 || byte == 32 || byte == 9 }
        guard let first = utf8.firstIndex(where: { !isBlank($0) }), let last = utf8.lastIndex(where: { !isBlank($0) }) else { return "" }
        return String(text[first...last])
    }

    private static func list(_ fields: [APIField], depth: Int) -> String {
        fields.map { field in
            let pad = String(repeating: "  ", count: depth)
            var line = "\(pad)- `\(field.name)\(field.required ? "*" : "")` (\(field.type))"
            if let description = field.description { line += ": \(description)" }
            return line + "\n" + list(field.children, depth: depth + 1)
        }.joined()
    }
}

import Foundation
