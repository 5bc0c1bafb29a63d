// Pictures of runs: SVG line charts, heatmaps and weight images, drawn once as SVG; PNGs are that
// SVG rendered by librsvg and cairo from the system.
