import Foundation
import Mustache

/// Renders the site's Mustache templates, which ship as resources of this module.
struct PageRenderer: Sendable {
    let library: MustacheLibrary

    static func load() async throws -> PageRenderer {
        guard let folder = Bundle.module.url(forResource: "Templates", withExtension: nil) else {
            throw WebError.missingResource("Templates")
        }
        return PageRenderer(library: try await MustacheLibrary(directory: folder.path))
    }

    func render(_ page: some Sendable, template: String) throws -> String {
        guard let html = library.render(TemplateView.view(of: page), withTemplate: template) else {
            throw WebError.missingResource("template \(template).mustache")
        }
        return html
    }
}

enum WebError: Error, CustomStringConvertible {
    case missingResource(String)

    var description: String {
        switch self {
        case .missingResource(let name): "the \(name) resource is missing from the build"
        }
    }
}
