//! 编制数: non-negative counts of establishment posts and signed changes to them.

/// A non-negative number of posts (编制数 / 人数), with checked arithmetic. Serialised as a number.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(transparent)]
pub struct Headcount(u32);

impl Headcount {
    /// Zero posts.
    pub const ZERO: Headcount = Headcount(0);
    /// One post.
    pub const ONE: Headcount = Headcount(1);

    /// `n` posts.
    pub const fn new(n: u32) -> Headcount {
        Headcount(n)
    }

    /// The count.
    pub const fn get(self) -> u32 {
        self.0
    }

    /// Whether it is zero.
    pub const fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// `self + other`, or `None` on overflow.
    pub fn checked_add(self, other: Headcount) -> Option<Headcount> {
        self.0.checked_add(other.0).map(Headcount)
    }

    /// `self - other`, or `None` if it would be negative.
    pub fn checked_sub(self, other: Headcount) -> Option<Headcount> {
        self.0.checked_sub(other.0).map(Headcount)
    }

    /// `self - other`, or zero.
    pub fn saturating_sub(self, other: Headcount) -> Headcount {
        Headcount(self.0.saturating_sub(other.0))
    }

    /// `self + delta`, or `None` if negative or overflowing.
    pub fn checked_apply(self, delta: HeadcountDelta) -> Option<Headcount> {
        let v = i64::from(self.0) + i64::from(delta.0);
        u32::try_from(v).ok().map(Headcount)
    }
}

impl core::fmt::Display for Headcount {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl From<u32> for Headcount {
    fn from(n: u32) -> Headcount {
        Headcount(n)
    }
}

/// A signed change of a headcount (增减编制数): positive when posts are added (核增), negative
/// when removed (核减). Serialised as a number.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(transparent)]
pub struct HeadcountDelta(i32);

impl HeadcountDelta {
    /// A change of `n` posts.
    pub const fn new(n: i32) -> HeadcountDelta {
        HeadcountDelta(n)
    }

    /// The change.
    pub const fn get(self) -> i32 {
        self.0
    }
}

impl core::fmt::Display for HeadcountDelta {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{:+}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checked_arithmetic() {
        let h = Headcount::new(3);
        assert_eq!(h.checked_add(Headcount::ONE), Some(Headcount::new(4)));
        assert_eq!(h.checked_sub(Headcount::new(4)), None);
        assert_eq!(h.saturating_sub(Headcount::new(4)), Headcount::ZERO);
        assert_eq!(Headcount::new(u32::MAX).checked_add(Headcount::ONE), None);
        assert_eq!(
            h.checked_apply(HeadcountDelta::new(-3)),
            Some(Headcount::ZERO)
        );
        assert_eq!(h.checked_apply(HeadcountDelta::new(-4)), None);
        assert_eq!(HeadcountDelta::new(2).to_string(), "+2");
    }

    #[test]
    fn serde_is_a_plain_number_and_refuses_negatives() {
        assert_eq!(serde_json::to_string(&Headcount::new(7)).unwrap(), "7");
        assert!(serde_json::from_str::<Headcount>("-1").is_err());
        assert_eq!(
            serde_json::from_str::<HeadcountDelta>("-2").unwrap(),
            HeadcountDelta::new(-2)
        );
    }
}
