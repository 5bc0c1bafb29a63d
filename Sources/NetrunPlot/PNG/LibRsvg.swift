#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// librsvg and cairo, opened the first time a PNG is drawn rather than linked into netrun: with
/// GLib, Pango, fontconfig and the rest they are some forty libraries, and loading them at every
/// start made `netrun configs/xor-softmax.yaml` take twice as long. Only the functions netrun calls
/// are looked up, with the C signatures of librsvg 2.52+ and cairo 1.x.
struct LibRsvg: @unchecked Sendable {
    /// GLib's error: `domain`, `code` and a message the caller frees with `g_error_free`.
    struct GError {
        var domain: UInt32
        var code: Int32
        var message: UnsafeMutablePointer<CChar>?
    }

    /// librsvg's viewport rectangle, in the units of the cairo context.
    struct Rectangle {
        var x: Double, y: Double, width: Double, height: Double
    }

    /// cairo_status_t's values netrun tells apart (cairo.h).
    static let success: Int32 = 0
    static let readError: Int32 = 10
    static let writeError: Int32 = 11
    /// CAIRO_FORMAT_RGB24: 32 bits a pixel, the top 8 unused.
    static let formatRGB24: Int32 = 1

    typealias WriteFunction = @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<UInt8>?, UInt32) -> Int32
    typealias ReadFunction = @convention(c) (UnsafeMutableRawPointer?, UnsafeMutablePointer<UInt8>?, UInt32) -> Int32

    // GError* and RsvgRectangle* travel as raw pointers (C function types cannot name Swift structs).
    let handleNewFromData: @convention(c) (UnsafePointer<UInt8>?, Int, UnsafeMutablePointer<UnsafeMutableRawPointer?>?)
        -> OpaquePointer?
    let handleGetIntrinsicSizeInPixels: @convention(c) (OpaquePointer?, UnsafeMutablePointer<Double>?,
                                                        UnsafeMutablePointer<Double>?) -> Int32
    let handleRenderDocument: @convention(c) (OpaquePointer?, OpaquePointer?, UnsafeRawPointer?,
                                              UnsafeMutablePointer<UnsafeMutableRawPointer?>?) -> Int32
    let objectUnref: @convention(c) (OpaquePointer?) -> Void
    let errorFree: @convention(c) (UnsafeMutableRawPointer?) -> Void
    let imageSurfaceCreate: @convention(c) (Int32, Int32, Int32) -> OpaquePointer?
    let imageSurfaceCreateFromPNGStream: @convention(c) (ReadFunction?, UnsafeMutableRawPointer?) -> OpaquePointer?
    let imageSurfaceGetData: @convention(c) (OpaquePointer?) -> UnsafeMutablePointer<UInt8>?
    let imageSurfaceGetStride: @convention(c) (OpaquePointer?) -> Int32
    let imageSurfaceGetWidth: @convention(c) (OpaquePointer?) -> Int32
    let imageSurfaceGetHeight: @convention(c) (OpaquePointer?) -> Int32
    let surfaceStatus: @convention(c) (OpaquePointer?) -> Int32
    let surfaceDestroy: @convention(c) (OpaquePointer?) -> Void
    let surfaceFlush: @convention(c) (OpaquePointer?) -> Void
    let surfaceMarkDirty: @convention(c) (OpaquePointer?) -> Void
    let surfaceWriteToPNGStream: @convention(c) (OpaquePointer?, WriteFunction?, UnsafeMutableRawPointer?) -> Int32
    let create: @convention(c) (OpaquePointer?) -> OpaquePointer?
    let destroy: @convention(c) (OpaquePointer?) -> Void
    let setSourceRGB: @convention(c) (OpaquePointer?, Double, Double, Double) -> Void
    let paint: @convention(c) (OpaquePointer?) -> Void
    let status: @convention(c) (OpaquePointer?) -> Int32
    let statusToString: @convention(c) (Int32) -> UnsafePointer<CChar>?

    /// The libraries, opened once; the error says what to install when they are missing.
    static let shared: Result<LibRsvg, PictureError> = {
        do { return .success(try LibRsvg()) } catch let error as PictureError { return .failure(error) } catch {
            return .failure(PictureError("\(error)"))
        }
    }()

    /// librsvg's file names: Debian's librsvg2-2, Homebrew's librsvg (both bring cairo and GLib);
    /// `NETRUN_LIBRSVG` names another (a test names a missing one).
    static let names = getenv("NETRUN_LIBRSVG").map { [String(cString: $0)] }
        ?? ["librsvg-2.so.2", "librsvg-2.so", "librsvg-2.2.dylib", "/opt/homebrew/lib/librsvg-2.2.dylib",
            "/usr/local/lib/librsvg-2.2.dylib"]

    private init() throws {
        guard let library = Self.names.lazy.compactMap({ dlopen($0, RTLD_NOW | RTLD_LOCAL) }).first else {
            throw PictureError("PNG pictures need librsvg, which is not installed (Debian: apt-get install librsvg2-2; "
                               + "Homebrew: brew install librsvg); SVG pictures need nothing: write -o FILE.svg")
        }
        // dlsym on librsvg's handle also finds the symbols of the libraries it loaded (cairo, GObject).
        func symbol<F>(_ name: String) throws -> F {
            guard let address = dlsym(library, name) else {
                throw PictureError("the librsvg found has no \(name); netrun needs librsvg 2.52 or later")
            }
            return unsafeBitCast(address, to: F.self)
        }
        handleNewFromData = try symbol("rsvg_handle_new_from_data")
        handleGetIntrinsicSizeInPixels = try symbol("rsvg_handle_get_intrinsic_size_in_pixels")
        handleRenderDocument = try symbol("rsvg_handle_render_document")
        objectUnref = try symbol("g_object_unref")
        errorFree = try symbol("g_error_free")
        imageSurfaceCreate = try symbol("cairo_image_surface_create")
        imageSurfaceCreateFromPNGStream = try symbol("cairo_image_surface_create_from_png_stream")
        imageSurfaceGetData = try symbol("cairo_image_surface_get_data")
        imageSurfaceGetStride = try symbol("cairo_image_surface_get_stride")
        imageSurfaceGetWidth = try symbol("cairo_image_surface_get_width")
        imageSurfaceGetHeight = try symbol("cairo_image_surface_get_height")
        surfaceStatus = try symbol("cairo_surface_status")
        surfaceDestroy = try symbol("cairo_surface_destroy")
        surfaceFlush = try symbol("cairo_surface_flush")
        surfaceMarkDirty = try symbol("cairo_surface_mark_dirty")
        surfaceWriteToPNGStream = try symbol("cairo_surface_write_to_png_stream")
        create = try symbol("cairo_create")
        destroy = try symbol("cairo_destroy")
        setSourceRGB = try symbol("cairo_set_source_rgb")
        paint = try symbol("cairo_paint")
        status = try symbol("cairo_status")
        statusToString = try symbol("cairo_status_to_string")
    }

    /// The loaded libraries, or the error saying what is missing.
    static func load() throws -> LibRsvg { try shared.get() }

    /// cairo's words for a status.
    func text(_ status: Int32) -> String {
        statusToString(status).map { String(cString: $0) } ?? "cairo status \(status)"
    }
}
