//! Reading back the QR code a print view draws: its SVG path (runs of dark modules,
//! `M{x} {y}h{n}v1h-{n}z`, as `app::qr` writes it) painted into a picture and decoded with
//! `rqrr`, a decoder independent of the encoder that drew it.

/// Pixels per module of the painted picture.
const SCALE: usize = 6;

/// Decodes the QR code drawn by `path` in a `viewBox` of `side` × `side` modules (quiet zone
/// included); `None` when the path does not read as one.
pub fn decode_svg_path(path: &str, side: usize) -> Option<String> {
    let mut dark = vec![false; side * side];
    for run in path.split('M').filter(|s| !s.is_empty()) {
        // `{x} {y}h{n}v1h-{n}z`
        let (x, rest) = run.split_once(' ')?;
        let (y, rest) = rest.split_once('h')?;
        let (n, _) = rest.split_once('v')?;
        let (x, y, n): (usize, usize, usize) = (x.parse().ok()?, y.parse().ok()?, n.parse().ok()?);
        for i in x..x + n {
            *dark.get_mut(y * side + i)? = true;
        }
    }
    let pixels = side * SCALE;
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(pixels, pixels, |px, py| {
        if dark[(py / SCALE) * side + px / SCALE] {
            0
        } else {
            255
        }
    });
    image
        .detect_grids()
        .into_iter()
        .find_map(|grid| grid.decode().ok().map(|(_, content)| content))
}
