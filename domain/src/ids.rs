//! Opaque identifiers (units, applications, clients, credentials, users) and validated names.

use crate::error::{Field, ValidationError};

macro_rules! identifier {
    ($(#[$meta:meta])* $name:ident, $field:expr) => {
        $(#[$meta])*
        ///
        /// 1 to 128 characters from `A-Z a-z 0-9 - _ . :` (base64url, UUIDs and credit codes fit).
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// Parses and validates.
            pub fn parse(s: &str) -> Result<$name, ValidationError> {
                check_identifier(s, $field).map(|()| $name(s.to_owned()))
            }

            /// The identifier.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        string_newtype_impls!($name);
    };
}

fn check_identifier(s: &str, field: Field) -> Result<(), ValidationError> {
    if s.is_empty() {
        return Err(ValidationError::Empty { field });
    }
    let n = s.chars().count();
    if n > 128 {
        return Err(ValidationError::TooLong {
            field,
            max: 128,
            actual: n,
        });
    }
    match s
        .chars()
        .enumerate()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || "-_.:".contains(*c)))
    {
        Some((i, c)) => Err(ValidationError::Character {
            field,
            position: i + 1,
            found: c,
        }),
        None => Ok(()),
    }
}

identifier!(
    /// The identity of a unit (单位标识) in this deployment.
    UnitId,
    Field::UnitId
);
identifier!(
    /// The identity of an application (申报标识), chosen by the client (a UUID).
    ApplicationId,
    Field::ApplicationId
);
identifier!(
    /// The identity of a signed decision (审批决定标识), chosen by the reviewer's client (a UUID).
    DecisionId,
    Field::DecisionId
);
identifier!(
    /// The identity of one client installation (客户端标识), for idempotent sync.
    ClientId,
    Field::ClientId
);
identifier!(
    /// A WebAuthn credential id (凭据标识), base64url.
    CredentialId,
    Field::CredentialId
);
identifier!(
    /// The identity of a user (用户标识), e.g. the key holder who signs.
    UserId,
    Field::SignerId
);

/// A name (名称 / 姓名): trimmed, non-empty, at most 100 characters, no control characters.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "String", into = "String")]
pub struct Name(String);

impl Name {
    /// Parses and validates.
    pub fn parse(s: &str) -> Result<Name, ValidationError> {
        let field = Field::Name;
        let t = s.trim();
        if t.is_empty() {
            return Err(ValidationError::Empty { field });
        }
        let n = t.chars().count();
        if n > 100 {
            return Err(ValidationError::TooLong {
                field,
                max: 100,
                actual: n,
            });
        }
        if let Some((i, c)) = t.chars().enumerate().find(|(_, c)| c.is_control()) {
            return Err(ValidationError::Character {
                field,
                position: i + 1,
                found: c,
            });
        }
        Ok(Name(t.to_owned()))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

string_newtype_impls!(Name);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers() {
        assert!(UnitId::parse("11620500MB0000001X").is_ok());
        assert!(ApplicationId::parse("0b4c7d2e-8f7a-4c61-9d7e-3a1f2b3c4d5e").is_ok());
        assert!(matches!(
            UnitId::parse(""),
            Err(ValidationError::Empty {
                field: Field::UnitId
            })
        ));
        assert!(matches!(
            ClientId::parse("a b"),
            Err(ValidationError::Character {
                position: 2,
                found: ' ',
                ..
            })
        ));
        assert!(CredentialId::parse(&"a".repeat(129)).is_err());
        let id: UserId = serde_json::from_str("\"clerk-1\"").unwrap();
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"clerk-1\"");
        assert!(serde_json::from_str::<UserId>("\"\"").is_err());
    }

    #[test]
    fn names() {
        assert_eq!(
            Name::parse(" 天水市机构编制委员会办公室 ")
                .unwrap()
                .as_str(),
            "天水市机构编制委员会办公室"
        );
        assert!(Name::parse("   ").is_err());
        assert!(Name::parse("a\u{0}b").is_err());
        assert!(Name::parse(&"名".repeat(101)).is_err());
    }
}
