//! Reads what the report needs into a headless `App`, so the report and the dashboard
//! share every rule about what the data means and what to read.

use crate::action::{PipelineRead, SfnRead};
use jiff::Timestamp;

use super::load::{Pace, load_picture};
use crate::action::Read;
use crate::app::{App, Depth, Settings};
use crate::aws::{AwsError, Clients};
use crate::poller::Schedule;

/// Fails only when neither service could be listed (no credentials, no endpoint…):
/// then there is nothing to report but that.
pub async fn collect(clients: &Clients, settings: Settings) -> Result<App, AwsError> {
    let mut app = App::new(settings, Schedule::default(), Timestamp::now());
    let failed = load_picture(&mut app, clients, Depth::Report, Pace::Together).await;
    let failure_of = |wanted: Read| {
        failed
            .iter()
            .find(|(read, _)| *read == wanted)
            .map(|(_, error)| error.clone())
    };
    if let (Some(pipelines), Some(_)) = (
        failure_of(Read::CodePipeline(PipelineRead::ListPipelines)),
        failure_of(Read::StepFunctions(SfnRead::StateMachines)),
    ) {
        return Err(pipelines);
    }
    Ok(app)
}
