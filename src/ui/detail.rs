//! The detail pane: the selected stage's failures, and what `r` and `R` would do, or
//! every reason they cannot. It asks the same rules the keys and the dialog ask.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::{Theme, look};
use crate::app::App;
use crate::eligibility::{RetryMode, retry_plan};
use crate::model::StatusLook;
use crate::model::{ActionStatus, StageState};

pub fn render(
    app: &App,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
    pipeline: &str,
    stage: Option<&StageState>,
) {
    let block = Block::bordered()
        .title(Span::styled(" Stage detail ", theme.title))
        .border_style(theme.border);
    let Some(stage) = stage else {
        frame.render_widget(
            Paragraph::new("This pipeline has no stages.").block(block),
            area,
        );
        return;
    };
    let mut lines = detail_lines(app, theme, pipeline, stage);
    let inner = block.inner(area);
    let used: usize = lines
        .iter()
        .map(|line| line.width().max(1).div_ceil(inner.width.max(1) as usize))
        .sum();
    let room = (inner.height as usize).saturating_sub(used);
    lines.extend(super::ran::lines(app, theme, inner.width as usize, room));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}

fn detail_lines<'a>(
    app: &App,
    theme: &Theme,
    pipeline: &str,
    stage: &'a StageState,
) -> Vec<Line<'a>> {
    let mut lines = Vec::new();
    let mut heading = vec![Span::styled(stage.stage_name.clone(), theme.title)];
    if let Some(run) = &stage.latest_execution {
        heading.push(Span::styled(
            format!(" {} ", run.status.word()),
            theme.tone(run.status.tone()),
        ));
        heading.push(Span::styled(
            format!("in {}", run.pipeline_execution_id),
            theme.label,
        ));
    }
    lines.push(Line::from(heading));

    // Retry first: it is what the person came for.
    let input = app.retry_input(pipeline, stage);
    let failed = retry_plan(&input, RetryMode::FailedActions);
    let all = retry_plan(&input, RetryMode::AllActions);
    match (&failed, &all) {
        (Err(a), Err(b)) if a == b => {
            lines.push(Line::from(Span::styled("Cannot retry:", theme.warning)));
            for reason in a {
                lines.push(Line::from(Span::styled(
                    format!(" • {}", reason.explain()),
                    theme.warning,
                )));
            }
        }
        _ => {
            for (key, label, verdict) in [("r", "retry failed", &failed), ("R", "retry all", &all)]
            {
                match verdict {
                    Ok(plan) => {
                        let mut spans = vec![
                            Span::styled(format!("{key} "), theme.key),
                            Span::styled(
                                format!("{label}: re-runs {}", plan.reruns.join(", ")),
                                theme.good,
                            ),
                        ];
                        if !plan.overwrites.is_empty() {
                            spans.push(Span::styled(
                                format!("; overwrites outputs of {}", plan.overwrites.join(", ")),
                                theme.warning,
                            ));
                        }
                        lines.push(Line::from(spans));
                    }
                    Err(reasons) => {
                        lines.push(Line::from(vec![
                            Span::styled(format!("{key} "), theme.key),
                            Span::styled(format!("{label}: not possible"), theme.warning),
                        ]));
                        for reason in reasons {
                            lines.push(Line::from(Span::styled(
                                format!(" • {}", reason.explain()),
                                theme.warning,
                            )));
                        }
                    }
                }
            }
        }
    }

    let chosen = app.chosen_action().map(|a| a.action_name);
    for action in &stage.actions {
        // Succeeded and never-run actions are in the stage list; here only what needs
        // eyes. The chosen one has its own part below, with what it ran.
        if matches!(action.status, None | Some(ActionStatus::Succeeded))
            || chosen.as_deref() == Some(action.action_name.as_str())
        {
            continue;
        }
        let (glyph, word, style) = look(theme, action.status.as_ref());
        lines.push(Line::from(vec![
            Span::styled(format!("{glyph} "), style),
            Span::styled(action.action_name.clone(), theme.title),
            Span::styled(format!(" {word}"), style),
        ]));
        if let Some(error) = &action.error {
            lines.push(Line::from(vec![
                Span::styled(format!("  {}: ", error.code), theme.failed),
                Span::raw(error.message.clone()),
            ]));
        }
        if let Some(summary) = &action.summary {
            lines.push(Line::from(Span::styled(
                format!("  {summary}"),
                theme.label,
            )));
        }
        if let Some(url) = &action.external_execution_url {
            lines.push(Line::from(Span::styled(format!("  {url}"), theme.muted)));
        }
    }
    if let Some(transition) = stage.inbound_transition.as_ref().filter(|t| !t.enabled) {
        lines.push(Line::from(Span::styled(
            format!(
                "Inbound transition disabled{}{}",
                transition
                    .disabled_reason
                    .as_ref()
                    .map(|r| format!(": {r}"))
                    .unwrap_or_default(),
                transition
                    .last_changed_by
                    .as_ref()
                    .map(|b| format!(" (by {b})"))
                    .unwrap_or_default(),
            ),
            theme.warning,
        )));
    }
    lines
}
