import Foundation
import CCMark

/// Renders CommonMark with libcmark, in safe mode unless a page may carry raw HTML, with
/// GitHub's tables, callouts and tabs of fenced blocks added (`MarkdownExtensions`).
///
/// cmark's HTML renderer gives headings no ids, so each heading gets a custom inline node
/// at its start (a marker, replaced by the id afterwards) and one at its end (the anchor
/// link). Custom nodes are emitted verbatim even in safe mode, and a marker holds a control
/// character that cannot survive in rendered text, so it cannot collide with content.
struct MarkdownRenderer: Sendable {
    /// Rewrites a link target; returns nil to keep it.
    var rewriteLink: @Sendable (String) -> String? = { _ in nil }

    func render(_ markdown: String, allowRawHTML: Bool) -> RenderedMarkdown {
        var options = CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8
        if allowRawHTML { options |= CMARK_OPT_UNSAFE }
        let document = markdown.withCString { cmark_parse_document($0, strlen($0), options) }!
        defer { cmark_node_free(document) }
        let extensions = MarkdownExtensions.apply(to: document, source: markdown, options: options)

        var headings: [Heading] = []
        var links: [MarkdownLink] = []
        var slugger = HeadingSlugger()
        var headingNodes: [OpaquePointer] = []

        let iterator = cmark_iter_new(document)
        while case let event = cmark_iter_next(iterator), event != CMARK_EVENT_DONE {
            guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) else { continue }
            switch cmark_node_get_type(node) {
            case CMARK_NODE_HEADING:
                headingNodes.append(node)
            case CMARK_NODE_LINK, CMARK_NODE_IMAGE:
                let written = cmark_node_get_url(node).map { String(cString: $0) } ?? ""
                let rendered = rewriteLink(written) ?? written
                if rendered != written { cmark_node_set_url(node, rendered) }
                links.append(MarkdownLink(written: written, rendered: rendered, line: extensions.line(of: node)))
            default:
                break
            }
        }
        cmark_iter_free(iterator)

        for (index, node) in headingNodes.enumerated() {
            let text = CMark.plainText(of: node)
            let id = slugger.slug(for: text)
            headings.append(Heading(level: Int(cmark_node_get_heading_level(node)), text: text, id: id))
            cmark_node_prepend_child(node, Self.customInline(Self.marker(index)))
            cmark_node_append_child(node, Self.customInline(
                ##" <a class="anchor" href="#\##(id)" aria-label="Link to this section">#</a>"##))
        }

        let raw = cmark_render_html(document, options)!
        var html = String(cString: raw)
        free(raw)
        for (index, heading) in headings.enumerated() {
            html = html.replacingFirst(">" + Self.marker(index), with: " id=\"\(heading.id)\">")
        }
        return RenderedMarkdown(html: CodeBlocks.highlight(in: html), headings: headings, links: links)
    }

    private static func marker(_ index: Int) -> String { "\u{1}h\(index)\u{1}" }

    private static func customInline(_ text: String) -> OpaquePointer {
        let node = cmark_node_new(CMARK_NODE_CUSTOM_INLINE)!
        cmark_node_set_on_enter(node, text)
        cmark_node_set_on_exit(node, "")
        return node
    }
}
