import Foundation
import Hummingbird
import Synchronization

/// Gives GET answers under the listed paths an ETag made from their bytes, so clients revalidate and get a 304.
///
/// The hash is of the body itself, so any change in what the answer says (a corrected story, a new rate) changes the tag.
struct RevalidationMiddleware: RouterMiddleware {
    typealias Context = SiteRequestContext
    /// Path prefixes whose answers are public and the same for every caller.
    let pathPrefixes: [String]
    /// When this process first sent each address's current answer: its `Last-Modified`.
    private let firstSent = FirstSent()

    init(pathPrefixes: [String]) {
        self.pathPrefixes = pathPrefixes
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let response = try await next(request, context)
        let path = request.uri.path
        guard request.method == .get, response.status == .ok,
            // A handler that set its own validator or policy knows better.
            response.headers[.eTag] == nil, response.headers[.cacheControl] == nil,
            // An answer to a credentialed request must never be stored by a shared cache as public.
            request.headers[.authorization] == nil,
            pathPrefixes.contains(where: { path == $0 || path.hasPrefix($0 + "/") })
        else { return response }
        let body = try await response.body.collected()
        let fingerprint = ContentHash.of(body.readableBytesView)
        let etag = "\"\(fingerprint)\""
        var headers = response.headers
        headers[.eTag] = etag
        let modified = firstSent.stamp(of: fingerprint, at: request.uri.description)
        headers[.lastModified] = modified.header(sentAt: Date())
        // Revalidate every time: a change must show on the next request, and a 304 costs little.
        headers[.cacheControl] = "public, max-age=0, must-revalidate"
        if ConditionalRequest.isNotModified(request, etag: etag, lastModified: modified.time) {
            headers[.contentType] = nil
            headers[.contentLength] = nil
            return Response(status: .notModified, headers: headers)
        }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: body))
    }
}

/// When each address's current answer first went out; bounded, like the page cache.
final class FirstSent: Sendable {
    private let answers = Mutex<[String: AnswerStamp]>([:])

    func stamp(of fingerprint: String, at address: String, now: Date = Date()) -> AnswerStamp {
        answers.withLock { answers in
            let stamp = AnswerStamp.next(after: answers[address], fingerprint: fingerprint, now: now)
            if answers[address] != stamp {
                if answers.count >= 4096 { answers.removeAll(keepingCapacity: true) }
                answers[address] = stamp
            }
            return stamp
        }
    }
}
