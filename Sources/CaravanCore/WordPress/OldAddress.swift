import Foundation

/// How an old site's address is looked up: the same for the address stored at import and the one a reader asks for.
public enum OldAddress {
    /// Query parameters that name content on a WordPress site; any other query string is ignored.
    static let naming = ["p", "page_id", "attachment_id", "cat", "tag", "author"]

    /// `/2019/03/slug/` and `/2019/03/slug` → `/2019/03/slug`; `/?p=12&utm_source=x` → `/?p=12`; the path's
    /// percent-escapes are decoded and the whole made lower-case, as WordPress matches slugs.
    public static func key(path: String, query: String) -> String {
        var path = path.removingPercentEncoding ?? path
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        if path.isEmpty { path = "/" }
        path = path.lowercased()
        for (name, value) in FormEncoding.pairs(query[...]) where naming.contains(name) && !value.isEmpty {
            return path + "?" + name + "=" + value.lowercased()
        }
        return path
    }

    /// The key of an absolute or relative address (`https://old.example/2019/03/slug/?x=1`).
    public static func key(link: String) -> String? {
        guard !link.isEmpty else { return nil }
        guard let components = URLComponents(string: link) else { return nil }
        let path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
        return key(path: path, query: components.percentEncodedQuery ?? "")
    }

    /// `/news/page/3` → (`/news`, 3): WordPress pages every listing by a `/page/N` suffix.
    public static func paged(_ key: String) -> (base: String, page: Int)? {
        let parts = key.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 3, parts[parts.count - 2] == "page", let page = Int(parts[parts.count - 1]), page >= 1 else {
            return nil
        }
        let base = parts.dropLast(2).joined(separator: "/")
        return (base.isEmpty ? "/" : base, page)
    }

    /// `/wp-content/uploads/2020/05/yurt-300x200.jpg` → `/wp-content/uploads/2020/05/yurt.jpg`: the sizes WordPress
    /// made of an upload are one picture here.
    public static func unsized(_ key: String) -> String {
        // On the bytes: a `-` or `.` followed by a combining mark is no `-` or `.` to Swift's characters.
        let bytes = Array(key.utf8)
        guard let dot = bytes.lastIndex(of: UInt8(ascii: ".")), let dash = bytes[..<dot].lastIndex(of: UInt8(ascii: "-"))
        else { return key }
        let size = bytes[(dash + 1)..<dot].split(separator: UInt8(ascii: "x"), omittingEmptySubsequences: false)
        guard size.count == 2, size.allSatisfy({ !$0.isEmpty && $0.allSatisfy { (48...57).contains($0) } }) else { return key }
        return String(decoding: bytes[..<dash] + bytes[dot...], as: UTF8.self)
    }
}
