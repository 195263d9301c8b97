//! Per-batch lookups for a worker: each distinct variation and account of a claimed batch is
//! read once, however many of its posts share it.

use crate::model::{AccountId, ScheduledPost, SocialAccount, Variation, VariationId};
use crate::store::Store;
use crate::{Error, Result};
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Arc;

/// A lookup's result that can be handed to several posts (`Error` is not `Clone`): `NotFound`
/// is kept as such (the post fails for good), any other error as a storage error (the post is
/// left to recovery).
enum Looked<T> {
    Found(Arc<T>),
    NotFound { entity: &'static str, id: String },
    Failed(String),
}

impl<T> Looked<T> {
    fn from_result(r: Result<T>) -> Self {
        match r {
            Ok(v) => Looked::Found(Arc::new(v)),
            Err(Error::NotFound { entity, id }) => Looked::NotFound { entity, id },
            Err(e) => Looked::Failed(e.to_string()),
        }
    }

    fn to_result(&self) -> Result<Arc<T>> {
        match self {
            Looked::Found(v) => Ok(v.clone()),
            Looked::NotFound { entity, id } => Err(Error::not_found(entity, id)),
            Looked::Failed(m) => Err(Error::storage(m.clone())),
        }
    }
}

/// The variations and accounts a claimed batch needs, each read once (concurrently).
pub(crate) struct BatchInputs {
    variations: HashMap<VariationId, Looked<Variation>>,
    accounts: HashMap<AccountId, Looked<SocialAccount>>,
}

async fn load_all<K, T, F, Fut>(keys: Vec<K>, load: F) -> HashMap<K, Looked<T>>
where
    K: Copy + Eq + Hash,
    F: Fn(K) -> Fut,
    Fut: std::future::Future<Output = Result<T>>,
{
    let found = futures::future::join_all(keys.iter().map(|k| load(*k))).await;
    keys.into_iter()
        .zip(found)
        .map(|(k, r)| (k, Looked::from_result(r)))
        .collect()
}

fn distinct<K: Copy + Eq + Hash>(keys: impl Iterator<Item = K>) -> Vec<K> {
    let mut seen = std::collections::HashSet::new();
    keys.filter(|k| seen.insert(*k)).collect()
}

impl BatchInputs {
    /// Reads every distinct variation and account of `posts`.
    pub(crate) async fn load(store: &Arc<dyn Store>, posts: &[ScheduledPost]) -> Self {
        let variation_ids = distinct(posts.iter().map(|p| p.variation_id));
        let account_ids = distinct(posts.iter().map(|p| p.account_id));
        let (variations, accounts) = futures::join!(
            load_all(variation_ids, |id| store.get_variation(id)),
            load_all(account_ids, |id| store.get_account(id)),
        );
        BatchInputs {
            variations,
            accounts,
        }
    }

    /// The variation of `post` (as read for the batch).
    pub(crate) fn variation(&self, post: &ScheduledPost) -> Result<Arc<Variation>> {
        self.variations
            .get(&post.variation_id)
            .map(Looked::to_result)
            .unwrap_or_else(|| Err(Error::not_found(VariationId::ENTITY, post.variation_id)))
    }

    /// The account of `post` (as read for the batch).
    pub(crate) fn account(&self, post: &ScheduledPost) -> Result<Arc<SocialAccount>> {
        self.accounts
            .get(&post.account_id)
            .map(Looked::to_result)
            .unwrap_or_else(|| Err(Error::not_found(AccountId::ENTITY, post.account_id)))
    }
}
