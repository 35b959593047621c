//! Small macros that keep the many labelled enums of the model uniform.

/// Declares a fieldless enum with a stable snake_case code (its serde form), a Chinese and an
/// English label, `ALL`, `code()`, `from_code()` and `Display` (the code).
macro_rules! labelled_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident => $code:literal, $zh:literal, $en:literal; )+
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash,
            serde::Serialize,
        )]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $code)] $variant, )+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The codes of [`Self::ALL`], in the same order.
            pub const CODES: &'static [&'static str] = &[$($code),+];

            // Tables indexed by the variant rather than `match`es: smaller in the WASM client.

            /// The stable snake_case code (also the serde form).
            pub fn code(self) -> &'static str {
                Self::CODES[self as usize]
            }

            /// The Chinese label the interface shows.
            pub fn label_zh(self) -> &'static str {
                const LABELS: &[&str] = &[$($zh),+];
                LABELS[self as usize]
            }

            /// The English label.
            pub fn label_en(self) -> &'static str {
                const LABELS: &[&str] = &[$($en),+];
                LABELS[self as usize]
            }

            /// The value whose code is `code`.
            pub fn from_code(code: &str) -> Option<Self> {
                let index = Self::CODES.iter().position(|c| *c == code)?;
                Self::ALL.get(index).copied()
            }
        }

        impl core::fmt::Display for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(self.code())
            }
        }

        // What `#[derive(Deserialize)]` would do, through one visitor shared by every labelled
        // enum (see `deserialize_code`).
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let index =
                    $crate::macros::deserialize_code(deserializer, stringify!($name), Self::CODES)?;
                Ok(Self::ALL[index])
            }
        }
    };
}

/// Deserialises a fieldless enum named `name` whose variants' serde names are `codes`, as
/// `#[derive(Deserialize)]` does — the same inputs accepted, the same errors — and returns the
/// index of the variant. The derive instantiates its visitors once per enum and per
/// deserialiser; this one is instantiated once per deserialiser for every labelled enum, which
/// keeps the WASM client small.
pub(crate) fn deserialize_code<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
    name: &'static str,
    codes: &'static [&'static str],
) -> Result<usize, D::Error> {
    deserializer.deserialize_enum(name, codes, code::EnumVisitor { name, codes })
}

mod code {
    use core::fmt;

    use serde::de::{self, EnumAccess, VariantAccess};

    /// The enum: a unit variant named by a code.
    pub(super) struct EnumVisitor {
        pub(super) name: &'static str,
        pub(super) codes: &'static [&'static str],
    }

    impl<'de> de::Visitor<'de> for EnumVisitor {
        type Value = usize;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "enum {}", self.name)
        }

        fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<usize, A::Error> {
            let (index, variant) = data.variant_seed(Variant(self.codes))?;
            variant.unit_variant()?;
            Ok(index)
        }
    }

    /// The variant identifier: its code (or, as the derive accepts, its index).
    struct Variant(&'static [&'static str]);

    impl<'de> de::DeserializeSeed<'de> for Variant {
        type Value = usize;

        fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
            d.deserialize_identifier(self)
        }
    }

    impl<'de> de::Visitor<'de> for Variant {
        type Value = usize;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("variant identifier")
        }

        fn visit_u64<E: de::Error>(self, v: u64) -> Result<usize, E> {
            match usize::try_from(v) {
                Ok(i) if i < self.0.len() => Ok(i),
                _ => Err(E::invalid_value(
                    de::Unexpected::Unsigned(v),
                    &IndexBelow(self.0.len()),
                )),
            }
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<usize, E> {
            self.0
                .iter()
                .position(|c| *c == v)
                .ok_or_else(|| E::unknown_variant(v, self.0))
        }

        fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<usize, E> {
            self.0
                .iter()
                .position(|c| c.as_bytes() == v)
                .ok_or_else(|| E::unknown_variant(&String::from_utf8_lossy(v), self.0))
        }
    }

    /// The derive's message for an index out of range.
    struct IndexBelow(usize);

    impl de::Expected for IndexBelow {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "variant index 0 <= i < {}", self.0)
        }
    }
}

/// Implements `Display`, `FromStr`, `TryFrom<&str>`, `TryFrom<String>` and `From<T> for String`
/// for a newtype that has `parse(&str) -> Result<Self, ValidationError>` and `as_str()`.
/// Serde goes through these (`#[serde(try_from = "String", into = "String")]`).
macro_rules! string_newtype_impls {
    ($name:ident) => {
        impl core::fmt::Display for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl core::str::FromStr for $name {
            type Err = $crate::error::ValidationError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }

        impl TryFrom<&str> for $name {
            type Error = $crate::error::ValidationError;
            fn try_from(s: &str) -> Result<Self, Self::Error> {
                Self::parse(s)
            }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::error::ValidationError;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                Self::parse(&s)
            }
        }

        impl From<$name> for String {
            fn from(v: $name) -> String {
                v.as_str().to_owned()
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use serde::Deserialize as _;

    use crate::Sex;

    /// What `#[derive(Deserialize)]` generates for `Sex`, to compare with.
    #[derive(Debug, PartialEq, serde::Deserialize)]
    enum Derived {
        #[serde(rename = "male")]
        Male,
        #[serde(rename = "female")]
        Female,
    }

    impl Derived {
        fn code(&self) -> &'static str {
            match self {
                Derived::Male => "male",
                Derived::Female => "female",
            }
        }
    }

    /// Ours and the derive's accept the same inputs, with the same value or the same error,
    /// from each deserialiser the code base uses.
    fn same(json: &str) {
        let ours = serde_json::from_str::<Sex>(json).map(Sex::code);
        let derived = serde_json::from_str::<Derived>(json).map(|d| d.code());
        assert_eq!(
            ours.map_err(|e| e.to_string()),
            derived.map_err(|e| e.to_string()),
            "{json}"
        );
        let ours = serde_json::from_slice::<Sex>(json.as_bytes()).map(Sex::code);
        let derived = serde_json::from_slice::<Derived>(json.as_bytes()).map(|d| d.code());
        assert_eq!(
            ours.map_err(|e| e.to_string()),
            derived.map_err(|e| e.to_string()),
            "{json}"
        );
        if let Ok(value) = serde_json::from_str::<serde_json::Value>(json) {
            let ours = Sex::deserialize(&value).map(Sex::code);
            let derived = Derived::deserialize(&value).map(|d| d.code());
            assert_eq!(
                ours.map_err(|e| e.to_string()),
                derived.map_err(|e| e.to_string()),
                "{json}"
            );
            let ours = serde_json::from_value::<Sex>(value.clone()).map(Sex::code);
            let derived = serde_json::from_value::<Derived>(value).map(|d| d.code());
            assert_eq!(
                ours.map_err(|e| e.to_string()),
                derived.map_err(|e| e.to_string()),
                "{json}"
            );
        }
    }

    #[test]
    fn labelled_enums_deserialise_as_the_derive_would() {
        for json in [
            r#""male""#,
            r#""female""#,
            r#""Male""#,
            r#""m\u0061le""#,
            r#"{"male":null}"#,
            r#"{"female":1}"#,
            r#"{"other":null}"#,
            "1",
            "-1",
            "null",
            "true",
            "[]",
            "{}",
            r#""""#,
            "",
            r#""male"#,
        ] {
            same(json);
        }
        // As a map key (the ledger's figures are keyed by a labelled enum).
        let ours: std::collections::BTreeMap<Sex, u32> =
            serde_json::from_str(r#"{"female":2,"male":1}"#).unwrap();
        assert_eq!(ours.len(), 2);
        assert!(
            serde_json::from_str::<std::collections::BTreeMap<Sex, u32>>(r#"{"x":1}"#)
                .unwrap_err()
                .to_string()
                .contains("unknown variant `x`, expected `male` or `female`")
        );
    }
}
