import CaravanCore
import Testing

@Suite("WordPress content and addresses")
struct WordPressContentTests {
    @Test(
        "content becomes clean HTML",
        arguments: [
            ("<!-- wp:paragraph -->\n<p>One.</p>\n<!-- /wp:paragraph -->", "<p>One.</p>"),
            ("<!-- wp:heading {\"level\":3} --><h3>Title</h3><!-- /wp:heading -->", "<h3>Title</h3>"),
            ("First line\nsecond line\n\nNew paragraph", "<p>First line<br>\nsecond line</p>\n\n<p>New paragraph</p>"),
            ("<!-- a note the editor left -->\n\nText", "<!-- a note the editor left -->\n\n<p>Text</p>"),
            ("Before<!--more-->after", "<p>Beforeafter</p>"),
            ("[caption id=\"a\" width=\"300\"]<img src=\"/x.jpg\" alt=\"X\" /> A caption[/caption]",
             "<figure><img src=\"/x.jpg\" alt=\"X\" /><figcaption>A caption</figcaption></figure>"),
            ("[caption caption=\"Old style\"]<a href=\"/big.jpg\"><img src=\"/x.jpg\" /></a>[/caption]",
             "<figure><a href=\"/big.jpg\"><img src=\"/x.jpg\" /></a><figcaption>Old style</figcaption></figure>"),
            ("[youtube https://www.youtube.com/watch?v=a1]", "<p><a href=\"https://www.youtube.com/watch?v=a1\">https://www.youtube.com/watch?v=a1</a></p>"),
            ("[video src=\"https://cdn.example/v.mp4\"][/video]", "<p><a href=\"https://cdn.example/v.mp4\">https://cdn.example/v.mp4</a></p>"),
            ("[embed]javascript:alert(1)[/embed]", ""),
            ("[gallery ids=\"3, 4\"]", "<!--gallery:3,4-->"),
            ("Prices [up 5%] today", "<p>Prices [up 5%] today</p>"),
            ("<ul>\n<li>a</li>\n</ul>", "<ul>\n<li>a</li>\n</ul>"),
        ])
    func clean(_ content: String, _ html: String) {
        #expect(WordPressContent.clean(content).html == html)
    }

    @Test func unknownShortcodesAreKeptAndNamedOnce() {
        let cleaned = WordPressContent.clean("[contact-form-7 id=\"1\"] and [contact-form-7 id=\"2\"] [pullquote]x[/pullquote]")
        #expect(cleaned.unknownShortcodes == ["contact-form-7", "pullquote"])
        #expect(cleaned.html.contains("[contact-form-7 id=\"1\"]") && cleaned.html.contains("[pullquote]x[/pullquote]"))
    }

    @Test(
        "an old address's key",
        arguments: [
            ("/2019/03/slug/", "", "/2019/03/slug"), ("/2019/03/Slug", "utm_source=x", "/2019/03/slug"), ("/", "", "/"),
            ("/", "p=12&utm=x", "/?p=12"), ("/", "page_id=7", "/?page_id=7"), ("/archive/", "s=x", "/archive"),
            ("/%D0%B2%D1%8B%D0%B1%D0%BE%D1%80%D1%8B/", "", "/выборы"), ("//", "", "/"),
        ])
    func key(_ path: String, _ query: String, _ key: String) {
        #expect(OldAddress.key(path: path, query: query) == key)
    }

    @Test(arguments: [("/category/news/page/3", "/category/news", 3), ("/page/2", "/", 2)])
    func paged(_ key: String, _ base: String, _ page: Int) {
        #expect(OldAddress.paged(key)?.base == base && OldAddress.paged(key)?.page == page)
    }

    @Test(arguments: [
        ("/wp-content/uploads/2020/05/yurt-300x200.jpg", "/wp-content/uploads/2020/05/yurt.jpg"),
        ("/wp-content/uploads/2020/05/yurt.jpg", "/wp-content/uploads/2020/05/yurt.jpg"),
        ("/wp-content/uploads/2020/05/route-66.jpg", "/wp-content/uploads/2020/05/route-66.jpg"),
    ])
    func unsized(_ key: String, _ base: String) {
        #expect(OldAddress.unsized(key) == base)
    }
}
