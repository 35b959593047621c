//! 一人一编: the rule that one 身份证号 holds at most one establishment post in the deployment.

use std::collections::BTreeMap;

use crate::establishment::EstablishmentCategory;
use crate::id_number::IdNumber;
use crate::ids::UnitId;

/// The post a person holds (所占编制).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PostHolding {
    /// 单位.
    pub unit: UnitId,
    /// 编制类别.
    pub category: EstablishmentCategory,
}

/// Why the registry refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegistryError {
    /// The person already holds a post (the number is masked).
    #[error("{id} already holds a post in unit {unit}")]
    AlreadyHoldsPost { id: String, unit: UnitId },
    /// The person holds no post in that unit.
    #[error("{id} holds no post in unit {unit}")]
    HoldsNoPost { id: String, unit: UnitId },
}

impl RegistryError {
    /// The message in Chinese.
    pub fn message_zh(&self) -> String {
        match self {
            Self::AlreadyHoldsPost { id, unit } => {
                format!("身份证号{id}已在单位{unit}占用编制，同一人只能占用一个编制")
            }
            Self::HoldsNoPost { id, unit } => format!("身份证号{id}未在单位{unit}占用编制"),
        }
    }

    /// The message in English.
    pub fn message_en(&self) -> String {
        match self {
            Self::AlreadyHoldsPost { id, unit } => {
                format!(
                    "ID number {id} already holds a post in unit {unit}; one person may hold one post"
                )
            }
            Self::HoldsNoPost { id, unit } => {
                format!("ID number {id} holds no post in unit {unit}")
            }
        }
    }
}

/// Who holds a post, across the whole deployment. The server mirrors it with a unique index.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PostRegistry {
    holders: BTreeMap<IdNumber, PostHolding>,
}

impl PostRegistry {
    /// An empty registry.
    pub fn new() -> PostRegistry {
        PostRegistry::default()
    }

    /// The post `id` holds, if any.
    pub fn holding(&self, id: &IdNumber) -> Option<&PostHolding> {
        self.holders.get(id)
    }

    /// Checks that `id` holds no post.
    pub fn check_free(&self, id: &IdNumber) -> Result<(), RegistryError> {
        match self.holders.get(id) {
            Some(h) => Err(RegistryError::AlreadyHoldsPost {
                id: id.masked(),
                unit: h.unit.clone(),
            }),
            None => Ok(()),
        }
    }

    /// Records that `id` holds `holding`; refused if it already holds any post.
    pub fn register(&mut self, id: IdNumber, holding: PostHolding) -> Result<(), RegistryError> {
        self.check_free(&id)?;
        self.holders.insert(id, holding);
        Ok(())
    }

    /// Checks that `id` holds a post in `unit`, returning it.
    pub fn check_held(&self, id: &IdNumber, unit: &UnitId) -> Result<&PostHolding, RegistryError> {
        match self.holders.get(id) {
            Some(h) if &h.unit == unit => Ok(h),
            _ => Err(RegistryError::HoldsNoPost {
                id: id.masked(),
                unit: unit.clone(),
            }),
        }
    }

    /// Releases the post `id` holds in `unit`.
    pub fn release(&mut self, id: &IdNumber, unit: &UnitId) -> Result<PostHolding, RegistryError> {
        self.check_held(id, unit)?;
        self.holders
            .remove(id)
            .ok_or_else(|| RegistryError::HoldsNoPost {
                id: id.masked(),
                unit: unit.clone(),
            })
    }

    /// How many people hold posts.
    pub fn len(&self) -> usize {
        self.holders.len()
    }

    /// Whether nobody holds a post.
    pub fn is_empty(&self) -> bool {
        self.holders.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_person_one_post() {
        let id = IdNumber::parse("11010519491231002X").unwrap();
        let a = UnitId::parse("unit-a").unwrap();
        let b = UnitId::parse("unit-b").unwrap();
        let mut r = PostRegistry::new();
        let hold = |u: &UnitId| PostHolding {
            unit: u.clone(),
            category: EstablishmentCategory::Administrative,
        };
        r.register(id.clone(), hold(&a)).unwrap();
        let e = r.register(id.clone(), hold(&b)).unwrap_err();
        assert!(e.message_zh().contains("110105********002X"));
        assert!(!e.message_zh().contains("19491231"));
        assert!(r.release(&id, &b).is_err());
        r.release(&id, &a).unwrap();
        assert!(r.is_empty());
        r.register(id, hold(&b)).unwrap();
        assert_eq!(r.len(), 1);
    }
}
