// Pictures of runs without dependencies: SVG line charts and heatmaps, and PNG images written by
// a small encoder over the system zlib.
