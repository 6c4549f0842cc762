// libvips' calls take their options as NULL-terminated varargs, which Swift cannot call: these fix the options
// Caravan uses in plain C functions.
#include <vips/vips.h>

static inline int caravan_vips_start(void) {
    if (VIPS_INIT("caravan")) return -1;
    // Loaders libvips marks untrusted (ImageMagick, SVG, PDF and the like) are never reached by an upload.
    vips_block_untrusted_set(TRUE);
    // Each upload is seen once: an operation cache would only hold its pixels longer.
    vips_cache_set_max(0);
    return 0;
}

static inline const char *caravan_vips_loader(const void *bytes, size_t length) {
    return vips_foreign_find_load_buffer(bytes, length);
}

// Reads the header only; pixels are decoded when first asked for, top to bottom in one pass, straight into the
// caller's copy (random access would make the loader keep a whole decoded copy of its own). A damaged or cut-short
// file fails then.
static inline VipsImage *caravan_vips_open(const void *bytes, size_t length) {
    return vips_image_new_from_buffer(
        bytes, length, "", "access", VIPS_ACCESS_SEQUENTIAL, "fail_on", VIPS_FAIL_ON_ERROR, NULL);
}

// Decoded as whole, for a picture that must be turned: rotating needs every row at once.
static inline VipsImage *caravan_vips_open_whole(const void *bytes, size_t length) {
    return vips_image_new_from_buffer(bytes, length, "", "fail_on", VIPS_FAIL_ON_ERROR, NULL);
}

// The picture `width` pixels wide, upright: a JPEG is decoded straight at a fraction of its size (shrink-on-load),
// so a large photograph's widths cost a small decode, not a second full one.
static inline int caravan_vips_thumbnail(const void *bytes, size_t length, VipsImage **out, int width) {
    return vips_thumbnail_buffer(
        (void *) bytes, length, out, width, "height", VIPS_MAX_COORD, "size", VIPS_SIZE_DOWN, "export_profile", "srgb",
        "fail_on", VIPS_FAIL_ON_ERROR, NULL);
}

static inline int caravan_vips_orientation(VipsImage *image) {
    return vips_image_get_orientation(image);
}

static inline int caravan_vips_autorot(VipsImage *in, VipsImage **out) {
    return vips_autorot(in, out, NULL);
}

// sRGB, the web's colours. A picture with a colour profile (a phone's Display P3, a camera's Adobe RGB) is converted
// through it, since the profile itself is removed with the rest of the metadata.
static inline int caravan_vips_srgb(VipsImage *in, VipsImage **out) {
    if (vips_image_get_typeof(in, VIPS_META_ICC_NAME)) {
        return vips_icc_transform(in, out, "srgb", "embedded", TRUE, "intent", VIPS_INTENT_PERCEPTUAL, NULL);
    }
    return vips_colourspace(in, out, VIPS_INTERPRETATION_sRGB, NULL);
}

// The picture with no metadata at all. The savers' `strip` is not enough: libvips 8.14's WebP saver still writes the
// EXIF and XMP it finds on the image, GPS position included.
static inline int caravan_vips_without_metadata(VipsImage *in, VipsImage **out) {
    if (vips_copy(in, out, NULL)) return -1;
    gchar **fields = vips_image_get_fields(*out);
    for (int i = 0; fields[i]; i++) {
        // The image's own properties (width, bands…) are not metadata and cannot be removed; everything else goes.
        vips_image_remove(*out, fields[i]);
    }
    g_strfreev(fields);
    return 0;
}

static inline int caravan_vips_resize(VipsImage *in, VipsImage **out, double scale) {
    return vips_resize(in, out, scale, NULL);
}

static inline int caravan_vips_flatten_white(VipsImage *in, VipsImage **out) {
    VipsArrayDouble *white = vips_array_double_newv(3, 255.0, 255.0, 255.0);
    int result = vips_flatten(in, out, "background", white, NULL);
    vips_area_unref(VIPS_AREA(white));
    return result;
}

// Optimised Huffman tables and progressive scans make smaller files, but libjpeg then holds every coefficient of the
// picture at once: `compact` is for the small widths only, never for the full-size copy.
static inline int caravan_vips_jpeg(VipsImage *in, void **bytes, size_t *length, int quality, int compact) {
    return vips_jpegsave_buffer(
        in, bytes, length, "Q", quality, "strip", TRUE, "optimize_coding", compact, "interlace", compact, NULL);
}

static inline int caravan_vips_webp(VipsImage *in, void **bytes, size_t *length, int quality) {
    return vips_webpsave_buffer(in, bytes, length, "Q", quality, "strip", TRUE, "effort", 3, NULL);
}

static inline int caravan_vips_png(VipsImage *in, void **bytes, size_t *length) {
    return vips_pngsave_buffer(in, bytes, length, "strip", TRUE, "compression", 6, NULL);
}

static inline void caravan_vips_release(VipsImage *image) {
    if (image) g_object_unref(image);
}

static inline void caravan_vips_free(void *bytes) {
    g_free(bytes);
}

// The error libvips recorded on its last failure (one buffer for the process; uploads are processed one at a time).
static inline const char *caravan_vips_error(void) {
    return vips_error_buffer();
}

static inline void caravan_vips_clear_error(void) {
    vips_error_clear();
}
