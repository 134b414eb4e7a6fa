"""The class report as one self-contained HTML page with inline SVG charts."""
