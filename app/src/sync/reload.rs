//! The holder's store read into the context's signals: the queue, the applications the
//! server tracks, the time of the last sync. Never for another holder than the one signed in.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::state::{AppContext, SyncProblem};
use crate::storage_error::StorageError;
use crate::store;

/// Re-reads the store into the signals (another tab changed it, or this one did).
pub fn reload(context: AppContext) {
    spawn_local(async move {
        let Some(holder) = context.holder_id() else {
            return;
        };
        load_from_store(context, &holder).await;
    });
}

/// Re-reads only the time of the last sync (the leader pulled and nothing changed).
pub fn reload_last_sync(context: AppContext) {
    spawn_local(async move {
        let Some(holder) = context.holder_id() else {
            return;
        };
        match store::last_sync(&holder).await {
            Ok(last) => context.sync.update(|s| s.last_sync = last),
            Err(e) => context.sync_problem.set(Some(SyncProblem::Storage(e))),
        }
    });
}

/// Whether `holder` is still the one signed in: a round, or a read of the store, that began
/// for one holder never writes into another's store or signals.
pub fn still(context: AppContext, holder: &str) -> bool {
    context
        .session
        .with_untracked(|s| s.as_ref().is_some_and(|s| s.holder.id == holder))
}

/// Reads the queue, the applications and the last sync of `holder` into the signals.
pub async fn load_from_store(context: AppContext, holder: &str) {
    let loaded = async {
        let items = store::outbox(holder).await?;
        let decisions = store::decisions(holder).await?;
        let applications = store::applications(holder).await?;
        let last_sync = store::last_sync(holder).await?;
        Ok::<_, StorageError>((items, decisions, applications, last_sync))
    }
    .await;
    if !still(context, holder) {
        return;
    }
    match loaded {
        Ok((items, decisions, applications, last_sync)) => {
            context.outbox.set(items);
            context.decisions.set(decisions);
            context.applications.set(applications);
            context.sync.update(|s| {
                s.last_sync = last_sync;
                s.revision += 1;
            });
        }
        Err(e) => context.sync_problem.set(Some(SyncProblem::Storage(e))),
    }
}
