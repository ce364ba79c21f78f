//! The profiles' section of a page: each table with its flamegraph under
//! it, embedded as an object so that its own search and zoom work.

use maud::{Markup, html};

use crate::page::{self, Heading};

use super::render::Views;

/// A `<section>` headed `heading` holding `views`; nothing when empty.
pub(crate) fn section(id: &str, heading: &str, views: &Views) -> Markup {
    if views.is_empty() {
        return html! {};
    }
    html! {
        section id=(id) {
            h2 { (heading) }
            @for (grid, chart) in views.doc.grids.iter().zip(&views.charts) {
                (page::table(grid, Heading::Section, ""))
                @if let Some(chart) = chart {
                    figure {
                        object type="image/svg+xml" data=(chart.file_name) {
                            img src=(chart.file_name) alt=(chart.title);
                        }
                    }
                }
            }
        }
    }
}
