//! Charts drawn on the server: pure functions from a figure's rows to the geometry the
//! templates (`chart_bars.html`, `chart_trend.html`, `chart_map.html`) draw as SVG, escaped
//! like any other text. No script and no outside asset. Every chart is `role="img"` with a
//! title and a description and stands next to its data table (the same rows), which is what a
//! screen reader reads. A suppressed count is never drawn as a zero: it is a hatched bar
//! labelled as suppressed.

use passage_core::monitoring::regions::Region;

/// Longest bar, in pixels.
pub const BAR_MAX: u32 = 320;
/// Room for the bar labels on the start side.
pub const LABEL_W: u32 = 220;
const BAR_H: u32 = 18;
const BAR_GAP: u32 = 8;
/// Room for the value after the bar.
const VALUE_W: u32 = 150;
/// How long a suppressed bar is drawn: visibly something, never a length that reads as a
/// count.
const SUPPRESSED_W: u32 = 48;

const COL_W: u32 = 26;
const COL_GAP: u32 = 6;
const TREND_H: u32 = 140;
/// Room under the columns for the month.
const TREND_FOOT: u32 = 40;

pub const TILE_W: u32 = 150;
pub const TILE_H: u32 = 64;
const TILE_GAP: u32 = 6;

/// The fill and the ink (text colour) of a tile of each shade; every pair reads at 4.5:1.
const SHADES: [(&str, &str); 5] = [
    ("#f3f3f3", "#1a1a1a"),
    ("#d4d4d4", "#1a1a1a"),
    ("#c6dbef", "#1a1a1a"),
    ("#6baed6", "#1a1a1a"),
    ("#08519c", "#ffffff"),
];

/// One row of a figure: its key, its label, its count (none when suppressed) and the count as
/// the page says it ("12", or the words for a suppressed count).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub key: String,
    pub label: String,
    pub count: Option<u64>,
    pub suppressed: bool,
    pub value: String,
}

/// One horizontal bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HBar {
    pub key: String,
    pub label: String,
    pub value: String,
    pub suppressed: bool,
    pub y: u32,
    pub text_y: u32,
    pub w: u32,
    pub value_x: u32,
}

/// Horizontal bars, one per row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bars {
    pub id: String,
    pub title: String,
    pub desc: String,
    pub width: u32,
    pub height: u32,
    pub label_end: u32,
    pub bar_x: u32,
    pub bar_h: u32,
    pub bars: Vec<HBar>,
}

/// One column of a trend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub key: String,
    pub label: String,
    pub value: String,
    pub suppressed: bool,
    pub x: u32,
    pub y: u32,
    pub h: u32,
    pub label_x: u32,
}

/// A trend by month: one column per month, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trend {
    pub id: String,
    pub title: String,
    pub desc: String,
    pub width: u32,
    pub height: u32,
    pub base: u32,
    pub col_w: u32,
    pub label_y: u32,
    pub columns: Vec<Column>,
}

/// One region's tile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tile {
    pub key: String,
    pub x: u32,
    pub y: u32,
    pub w: u32,
    pub h: u32,
    pub fill: &'static str,
    pub ink: &'static str,
    pub label: String,
    pub value: String,
    pub suppressed: bool,
}

/// A tile map of a country's regions: one tile per region at its place in the grid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TileMap {
    pub id: String,
    pub title: String,
    pub desc: String,
    pub width: u32,
    pub height: u32,
    pub tiles: Vec<Tile>,
}

fn n32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// `n` of `max` as a length of at most `full`.
fn scaled(n: u64, max: u64, full: u32) -> u32 {
    u32::try_from(n.saturating_mul(u64::from(full)) / max.max(1)).unwrap_or(full)
}

/// Horizontal bars of `rows`, scaled to the largest count shown.
pub fn bars(id: &str, title: String, desc: String, rows: &[Row]) -> Bars {
    let max = rows.iter().filter_map(|r| r.count).max().unwrap_or(0);
    let bars = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let y = n32(i) * (BAR_H + BAR_GAP);
            let w = match r.count {
                Some(n) if !r.suppressed => scaled(n, max, BAR_MAX),
                _ => SUPPRESSED_W,
            };
            HBar {
                key: r.key.clone(),
                label: r.label.clone(),
                value: r.value.clone(),
                suppressed: r.suppressed,
                y,
                text_y: y + BAR_H - 4,
                w,
                value_x: LABEL_W + w + 6,
            }
        })
        .collect();
    Bars {
        id: id.to_string(),
        title,
        desc,
        width: LABEL_W + BAR_MAX + VALUE_W,
        height: n32(rows.len()).max(1) * (BAR_H + BAR_GAP),
        label_end: LABEL_W - 8,
        bar_x: LABEL_W,
        bar_h: BAR_H,
        bars,
    }
}

/// Columns of `rows` (months, in order), scaled to the largest count shown.
pub fn trend(id: &str, title: String, desc: String, rows: &[Row]) -> Trend {
    let max = rows.iter().filter_map(|r| r.count).max().unwrap_or(0);
    let columns = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let h = match r.count {
                Some(n) if !r.suppressed => scaled(n, max, TREND_H),
                _ => TREND_H / 4,
            };
            let x = n32(i) * (COL_W + COL_GAP);
            Column {
                key: r.key.clone(),
                label: r.label.clone(),
                value: r.value.clone(),
                suppressed: r.suppressed,
                x,
                y: TREND_H - h,
                h,
                label_x: x + COL_W / 2,
            }
        })
        .collect();
    Trend {
        id: id.to_string(),
        title,
        desc,
        width: (n32(rows.len()) * (COL_W + COL_GAP)).max(COL_W),
        height: TREND_H + TREND_FOOT,
        base: TREND_H,
        col_w: COL_W,
        label_y: TREND_H + 14,
        columns,
    }
}

/// The shade of a count on the map: 0 for none, 1 for a suppressed count, then thirds of the
/// largest.
fn shade(count: Option<u64>, max: u64) -> usize {
    usize::from(passage_core::monitoring::views::shade(count, max)).min(SHADES.len() - 1)
}

/// The tile map of `regions` with the rows found for them (by key); a region without a row
/// gets no tile.
pub fn tile_map(
    id: &str,
    title: String,
    desc: String,
    regions: &[Region],
    rows: &[Row],
) -> TileMap {
    let max = rows.iter().filter_map(|r| r.count).max().unwrap_or(0);
    let tiles = regions
        .iter()
        .filter_map(|region| {
            let r = rows.iter().find(|r| r.key == region.code)?;
            let (fill, ink) = SHADES[shade(if r.suppressed { None } else { r.count }, max)];
            Some(Tile {
                key: r.key.clone(),
                x: u32::from(region.col) * (TILE_W + TILE_GAP),
                y: u32::from(region.row) * (TILE_H + TILE_GAP),
                w: TILE_W,
                h: TILE_H,
                fill,
                ink,
                label: r.label.clone(),
                value: r.value.clone(),
                suppressed: r.suppressed,
            })
        })
        .collect();
    let cols = regions
        .iter()
        .map(|r| u32::from(r.col) + 1)
        .max()
        .unwrap_or(0);
    let lines = regions
        .iter()
        .map(|r| u32::from(r.row) + 1)
        .max()
        .unwrap_or(0);
    TileMap {
        id: id.to_string(),
        title,
        desc,
        width: cols * (TILE_W + TILE_GAP),
        height: lines * (TILE_H + TILE_GAP),
        tiles,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use passage_core::Country;
    use passage_core::monitoring::regions::regions_of;

    fn row(key: &str, count: Option<u64>) -> Row {
        Row {
            key: key.into(),
            label: key.to_uppercase(),
            count,
            suppressed: count.is_none(),
            value: count.map_or_else(|| "suppressed".into(), |n| n.to_string()),
        }
    }

    #[test]
    fn bars_scale_to_the_largest_and_a_suppressed_count_is_never_a_zero() {
        let rows = [
            row("a", Some(40)),
            row("b", Some(20)),
            row("c", None),
            row("d", Some(0)),
        ];
        let b = bars("t", "T".into(), "D".into(), &rows);
        let w: Vec<u32> = b.bars.iter().map(|b| b.w).collect();
        assert_eq!(w, [BAR_MAX, BAR_MAX / 2, SUPPRESSED_W, 0]);
        assert!(b.bars[2].suppressed);
        assert_eq!(b.bars[2].value, "suppressed");
        let keys: Vec<&str> = b.bars.iter().map(|b| b.key.as_str()).collect();
        assert_eq!(keys, ["a", "b", "c", "d"], "the table's rows, in its order");
        assert!(b.bars.windows(2).all(|p| p[0].y < p[1].y));
        assert_eq!(b.height, 4 * (BAR_H + BAR_GAP));
        // Nothing counted yet: no division by zero.
        let empty = bars("e", "E".into(), "D".into(), &[row("a", Some(0))]);
        assert_eq!(empty.bars[0].w, 0);
    }

    #[test]
    fn a_trend_has_a_column_per_month_standing_on_one_line() {
        let rows = [
            row("2026-01", Some(10)),
            row("2026-02", None),
            row("2026-03", Some(5)),
        ];
        let t = trend("m", "M".into(), "D".into(), &rows);
        let h: Vec<u32> = t.columns.iter().map(|c| c.h).collect();
        assert_eq!(h, [TREND_H, TREND_H / 4, TREND_H / 2]);
        assert!(t.columns.iter().all(|c| c.y + c.h == t.base));
        assert!(t.columns[1].suppressed);
    }

    #[test]
    fn the_map_puts_each_region_on_its_tile_and_shades_it() {
        let gb = Country::parse("GB").expect("GB");
        let list = regions_of(gb);
        let rows = [
            row("london", Some(30)),
            row("wales", None),
            row("scotland", Some(0)),
        ];
        let m = tile_map("map", "Map".into(), "D".into(), list, &rows);
        assert_eq!(m.tiles.len(), 3, "regions without a row get no tile");
        let london = m.tiles.iter().find(|t| t.key == "london").expect("london");
        assert_eq!((london.x, london.y), (2 * (TILE_W + 6), 4 * (TILE_H + 6)));
        assert_eq!(london.fill, SHADES[4].0);
        let wales = m.tiles.iter().find(|t| t.key == "wales").expect("wales");
        assert_eq!(wales.fill, SHADES[1].0, "suppressed has its own shade");
        assert_eq!(wales.value, "suppressed");
        let scotland = m.tiles.iter().find(|t| t.key == "scotland").expect("s");
        assert_eq!(scotland.fill, SHADES[0].0);
        assert_eq!(m.width, 4 * (TILE_W + 6));
        assert_eq!(m.height, 5 * (TILE_H + 6));
    }
}
