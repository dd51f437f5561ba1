//! Moving the dashboard to another profile or region without a restart (`:profile`,
//! `:region`). The runner builds the new clients and answers with `Action::Connected`;
//! only then is the picture of the old place dropped and the new one read from nothing.
//!
//! Writes decide the rules. A switch waits for no dialog (none can open meanwhile, see
//! `ask`), is refused while a write is on its way (its answer belongs to the old place),
//! and keeps the writes followed in the old place aside, so that coming back still
//! refuses a second request for the same target.

use super::*;

impl App {
    /// The place the dashboard reads now.
    pub fn place(&self) -> Place {
        Place {
            profile: self.settings.profile.clone(),
            region: self.settings.region.clone(),
        }
    }

    /// "eu-west-1", or "this region" when the SDK settled on none it said.
    pub fn region_words(&self) -> String {
        self.settings
            .region
            .clone()
            .unwrap_or_else(|| "this region".into())
    }

    pub(super) fn switch_to(&mut self, wanted: Place) -> Vec<Command> {
        if let Some(going) = &self.switching {
            let text = format!("Already switching to {}", going.describe());
            self.say(Tone::Warning, text);
            return Vec::new();
        }
        if self.writes_on_their_way() > 0 {
            self.say(
                Tone::Warning,
                "A write is on its way to AWS: switch once it is answered, so its answer is seen",
            );
            return Vec::new();
        }
        let here = self.place();
        let same_region = wanted.region.is_none() || wanted.region == here.region;
        if wanted.profile == here.profile && same_region {
            let text = format!("Already on {}", here.describe());
            self.say(Tone::Muted, text);
            return Vec::new();
        }
        self.say(
            Tone::Running,
            format!("Switching to {}…", wanted.describe()),
        );
        self.switching = Some(wanted.clone());
        vec![Command::Connect(wanted)]
    }

    /// The runner answered a switch: a new place, read from nothing, or the old one kept.
    pub(super) fn on_connected(&mut self, result: Result<Place, AwsError>) -> Vec<Command> {
        self.switching = None;
        let now = match result {
            Ok(now) => now,
            Err(error) => {
                let text = format!(
                    "Cannot switch: {error}; still on {}",
                    self.place().describe()
                );
                self.say(Tone::Failed, text);
                return Vec::new();
            }
        };
        let left = self.place();
        let retries = std::mem::take(&mut self.retries);
        let redrives = std::mem::take(&mut self.redrives);
        self.left_behind.insert(left, (retries, redrives));
        if let Some((retries, redrives)) = self.left_behind.remove(&now) {
            self.retries = retries;
            self.redrives = redrives;
        }
        self.place += 1;
        self.settings.profile = now.profile.clone();
        self.settings.region = now.region.clone();
        self.model = Model::default();
        self.schedule = self.schedule.for_region(now.region.as_deref());
        self.cut_short.clear();
        // Failures already there in the new place are not news.
        self.forget_failures_seen();
        self.back_to_the_lists();
        self.say(
            Tone::Good,
            format!("Switched to {}; reading…", now.describe()),
        );
        self.poll()
    }

    /// Whatever was open belonged to the old place: each half goes back to its list,
    /// with nothing selected, filtered or open over it.
    fn back_to_the_lists(&mut self) {
        self.ui.view = self.ui.view.list();
        self.ui.other_view = self.ui.other_view.list();
        self.ui.pipelines = PipelinesUi::default();
        let show_running = self.ui.executions.show_running;
        self.ui.executions = ExecutionsUi {
            show_running,
            ..ExecutionsUi::default()
        };
        self.ui.filter.clear();
        self.ui.filtering = false;
        self.ui.reader = None;
        self.ui.return_to = None;
        self.ui.help = false;
    }
}
