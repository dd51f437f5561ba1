//! Making text on screen a hyperlink (OSC 8) without a widget knowing: after a frame is
//! sent, the cells of each link are written again between the link's opening and closing
//! sequences. A terminal keeps the link with the cells, so a link is written again only
//! when it is new or ratatui has just rewritten its cells; an idle screen sends nothing.

use ratatui::backend::Backend;
use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::Rect;

use super::Passthrough;
use super::osc::{HYPERLINK_END, hyperlink_start};

/// `width` cells from (`x`, `y`) that link to `url`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hyperlink {
    pub x: u16,
    pub y: u16,
    pub width: u16,
    pub url: String,
}

/// The links on the terminal now, each with the cells it was written over.
#[derive(Debug, Default)]
pub struct Written {
    area: Rect,
    links: Vec<(Hyperlink, Vec<Cell>)>,
}

impl Written {
    /// Brings the terminal's links in line with `links`, after `buffer` was sent. Errors
    /// are left to the next draw to report: a link is not worth failing a frame for.
    pub fn update<B: Backend + Passthrough>(
        &mut self,
        backend: &mut B,
        buffer: &Buffer,
        links: Vec<Hyperlink>,
    ) {
        // A resize clears the screen, and every link with it.
        if self.area != buffer.area {
            self.area = buffer.area;
            self.links.clear();
        }
        let now: Vec<(Hyperlink, Vec<Cell>)> = links
            .into_iter()
            .map(|link| {
                let cells = cells(buffer, &link);
                (link, cells)
            })
            .collect();
        // Text that stopped being a link but was not redrawn keeps the link on the
        // terminal until written again without it.
        for gone in self.links.iter().filter(|old| !now.contains(old)) {
            if cells(buffer, &gone.0) == gone.1 {
                let _ = backend.draw(positions(&gone.0, &gone.1));
            }
        }
        for new in now.iter().filter(|link| !self.links.contains(link)) {
            let _ = backend.pass_through(&hyperlink_start(&new.0.url));
            let _ = backend.draw(positions(&new.0, &new.1));
            let _ = backend.pass_through(HYPERLINK_END);
        }
        let _ = backend.flush();
        self.links = now;
    }
}

fn cells(buffer: &Buffer, link: &Hyperlink) -> Vec<Cell> {
    (link.x..link.x.saturating_add(link.width))
        .filter(|&x| buffer.area.contains((x, link.y).into()))
        .map(|x| buffer[(x, link.y)].clone())
        .collect()
}

fn positions<'a>(
    link: &Hyperlink,
    cells: &'a [Cell],
) -> impl Iterator<Item = (u16, u16, &'a Cell)> {
    let (x, y) = (link.x, link.y);
    cells
        .iter()
        .enumerate()
        .map(move |(i, cell)| (x + i as u16, y, cell))
}
