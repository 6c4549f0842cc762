// cmark-gfm, the reference CommonMark parser with GitHub's extensions (Debian: libcmark-gfm-dev,
// libcmark-gfm-extensions-dev).
#include <cmark-gfm.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm-core-extensions.h>
