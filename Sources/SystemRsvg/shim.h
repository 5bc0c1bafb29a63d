// librsvg draws an SVG document onto a cairo surface; cairo writes and reads PNG.
#include <librsvg/rsvg.h>
#include <cairo.h>
