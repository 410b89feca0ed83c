//! Drawing only the rows of a long table that are in view, and a margin
//! around them, with spacers for the rest: a file of 100,000 rows scrolls
//! like one of a hundred. Rows may be of any height: each is estimated until
//! the browser has drawn it, then measured.
//!
//! The table's scrolling element takes [`VirtualRows::scroller`] and
//! [`VirtualRows::on_scroll`]; each drawn row is a `<tbody data-index=…>`
//! (the row's index, as `shown` lists it), between two spacer rows of
//! [`VirtualRows::space_above`] and [`VirtualRows::space_below`] pixels.

use crate::components::slices::yield_to_browser;
use leptos::prelude::*;

/// Drawn above and below the rows in view, so that scrolling and tabbing
/// find rows already there.
pub const MARGIN_PX: f64 = 800.0;

/// A long table's window on its rows.
#[derive(Clone, Copy)]
pub struct VirtualRows {
    pub scroller: NodeRef<leptos::html::Div>,
    shown: Memo<Vec<usize>>,
    layout: Memo<RowLayout>,
    window: Memo<(usize, usize)>,
    view_port: RwSignal<ViewPort>,
}

impl VirtualRows {
    /// `shown`: the indexes of the rows listed, in order. `estimate`: the
    /// heights of these rows, were they not drawn yet (asked for all at
    /// once: a hundred thousand reads of a signal, one a row, took a long
    /// task). `redrawn`: tracks whatever changes a drawn row's height, so
    /// that rows are measured again after it does.
    pub fn new(
        shown: Memo<Vec<usize>>,
        estimate: impl Fn(&[usize]) -> Vec<f64> + Send + Sync + 'static,
        redrawn: impl Fn() + Send + Sync + 'static,
    ) -> Self {
        let scroller = NodeRef::<leptos::html::Div>::new();
        let view_port = RwSignal::new(ViewPort::default());
        let drawn = RwSignal::new(DrawnHeights::default());
        let layout = Memo::new(move |_| {
            shown.with(|shown| {
                let estimated = estimate(shown);
                drawn.with(|drawn| RowLayout::new(shown, &estimated, drawn))
            })
        });
        // The first drawing holds only the rows in view, so that the table
        // shows in one short task; the margin follows a frame later.
        let margin = RwSignal::new(0.0);
        let window = Memo::new(move |_| layout.with(|l| l.window(view_port.get(), margin.get())));
        // Drawn rows are measured once laid out, and the layout corrected.
        Effect::new(move |_| {
            window.track();
            redrawn();
            // By the next frame the page may have been left: hence `try_`.
            request_animation_frame(move || {
                if let Some(Some(element)) = scroller.try_get_untracked() {
                    let heights = browser::drawn_heights(&element);
                    view_port.try_set(browser::view_port(&element));
                    drawn.try_update(|d| d.record(heights));
                    if margin.try_get_untracked() == Some(0.0) {
                        // In a task of its own: drawing the margin's rows in
                        // the frame that measured made it a long one.
                        leptos::task::spawn_local(async move {
                            yield_to_browser().await;
                            margin.try_set(MARGIN_PX);
                        });
                    }
                }
            });
        });
        VirtualRows {
            scroller,
            shown,
            layout,
            window,
            view_port,
        }
    }

    /// The indexes of the rows to draw.
    pub fn in_window(&self) -> Vec<usize> {
        let (first, end) = self.window.get();
        self.shown
            .with(|s| s.get(first..end).unwrap_or_default().to_vec())
    }

    pub fn space_above(&self) -> f64 {
        let first = self.window.get().0;
        self.layout.with(|l| l.top_of(first))
    }

    pub fn space_below(&self) -> f64 {
        let end = self.window.get().1;
        self.layout.with(|l| l.height() - l.top_of(end))
    }

    pub fn on_scroll(&self) {
        if let Some(element) = self.scroller.get_untracked() {
            self.view_port.set(browser::view_port(&element));
        }
    }

    pub fn scroll_to_top(&self) {
        if let Some(element) = self.scroller.get_untracked() {
            element.set_scroll_top(0);
        }
    }
}

/// The part of the rows the scroller shows.
#[derive(Debug, Clone, Copy, PartialEq)]
struct ViewPort {
    top: f64,
    height: f64,
}

impl Default for ViewPort {
    /// Until measured: a phone's screen from the top.
    fn default() -> Self {
        ViewPort {
            top: 0.0,
            height: 800.0,
        }
    }
}

/// Heights of rows as the browser drew them, by row index; 0 for a row
/// not drawn yet. (A vector: the layout reads it for every row.)
#[derive(Debug, Default, Clone, PartialEq)]
struct DrawnHeights(Vec<f64>);

impl DrawnHeights {
    fn get(&self, index: usize) -> Option<f64> {
        self.0.get(index).copied().filter(|h| *h > 0.0)
    }

    /// Keeps new measurements; unchanged ones leave it equal, so that the
    /// layout is not worked out again for nothing.
    fn record(&mut self, heights: Vec<(usize, f64)>) {
        for (index, height) in heights {
            if (self.get(index).unwrap_or(-1.0) - height).abs() > 0.5 {
                if self.0.len() <= index {
                    self.0.resize(index + 1, 0.0);
                }
                self.0[index] = height;
            }
        }
    }
}

/// Where each shown row starts, measured or estimated.
#[derive(Debug, Clone, PartialEq)]
struct RowLayout {
    /// `tops[k]` is the top of the k-th shown row; one more for the end.
    tops: Vec<f64>,
}

impl RowLayout {
    /// `estimated[k]`: the k-th shown row's height until it is drawn.
    fn new(shown: &[usize], estimated: &[f64], drawn: &DrawnHeights) -> Self {
        let mut tops = Vec::with_capacity(shown.len() + 1);
        let mut y = 0.0;
        tops.push(y);
        for (&index, &estimate) in shown.iter().zip(estimated) {
            y += drawn.get(index).unwrap_or(estimate);
            tops.push(y);
        }
        RowLayout { tops }
    }

    fn top_of(&self, k: usize) -> f64 {
        self.tops.get(k).copied().unwrap_or_else(|| self.height())
    }

    fn height(&self) -> f64 {
        self.tops.last().copied().unwrap_or(0.0)
    }

    /// The shown rows to draw, `first..end`: those in view and `margin`
    /// pixels above and below.
    fn window(&self, view: ViewPort, margin: f64) -> (usize, usize) {
        let rows = self.tops.len().saturating_sub(1);
        let (from, to) = (view.top - margin, view.top + view.height + margin);
        // A row is drawn when it ends below `from` and starts above `to`.
        let first = self.tops[1..].partition_point(|&bottom| bottom <= from);
        let end = self.tops[..rows].partition_point(|&top| top < to);
        (first.min(end), end)
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::ViewPort;
    use leptos::wasm_bindgen::JsCast;

    pub fn view_port(scroller: &web_sys::HtmlDivElement) -> ViewPort {
        ViewPort {
            top: f64::from(scroller.scroll_top()),
            height: f64::from(scroller.client_height()),
        }
    }

    /// The height of every drawn row, by its index.
    pub fn drawn_heights(scroller: &web_sys::HtmlDivElement) -> Vec<(usize, f64)> {
        let Ok(rows) = scroller.query_selector_all("tbody[data-index]") else {
            return Vec::new();
        };
        (0..rows.length())
            .filter_map(|i| rows.item(i)?.dyn_into::<web_sys::Element>().ok())
            .filter_map(|row| {
                let index = row.get_attribute("data-index")?.parse().ok()?;
                Some((index, row.get_bounding_client_rect().height()))
            })
            .collect()
    }
}

/// On the server nothing scrolls.
#[cfg(not(feature = "hydrate"))]
mod browser {
    use super::ViewPort;

    pub fn view_port<T>(_: &T) -> ViewPort {
        ViewPort::default()
    }

    pub fn drawn_heights<T>(_: &T) -> Vec<(usize, f64)> {
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROW: f64 = 36.0;

    #[test]
    fn only_the_rows_in_view_and_the_margin_are_drawn() {
        let shown: Vec<usize> = (0..1_000).collect();
        let layout = RowLayout::new(&shown, &[ROW; 1_000], &DrawnHeights::default());
        assert_eq!(layout.height(), 36_000.0);
        let top = ViewPort {
            top: 0.0,
            height: 800.0,
        };
        // Rows starting above 800 + 800 px: 0..45.
        assert_eq!(layout.window(top, MARGIN_PX), (0, 45));
        // Without the margin (the first drawing), those above 800 px.
        assert_eq!(layout.window(top, 0.0), (0, 23));
        let bottom = ViewPort {
            top: 35_200.0,
            height: 800.0,
        };
        // Rows ending below 35,200 - 800 px: from 955 to the end.
        assert_eq!(layout.window(bottom, MARGIN_PX), (955, 1_000));
        assert_eq!(
            RowLayout::new(&[], &[], &DrawnHeights::default()).window(top, MARGIN_PX),
            (0, 0)
        );
    }

    #[test]
    fn measured_heights_replace_the_estimates() {
        let estimate = [ROW, 74.0, ROW];
        let shown = [0, 1, 2];
        let estimated = RowLayout::new(&shown, &estimate, &DrawnHeights::default());
        assert_eq!(estimated.top_of(2), 36.0 + 74.0);
        let mut drawn = DrawnHeights::default();
        drawn.record(vec![(1, 90.0)]);
        let unchanged = drawn.clone();
        drawn.record(vec![(1, 90.2)]);
        assert_eq!(drawn, unchanged, "sub-pixel changes are not news");
        let measured = RowLayout::new(&shown, &estimate, &drawn);
        assert_eq!(measured.top_of(2), 126.0);
        assert_eq!(measured.height(), 162.0);
    }
}
