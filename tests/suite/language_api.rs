//! The server's messages in both interface languages (issue 12): a verdict on a signed
//! application or decision, a repeat of it, and an error body carry the Chinese `message` and
//! the English `message_en`, and the OpenAPI document says so.

use domain::Action;
use protocol::ErrorBody;
use protocol::identity::VerdictStatus;
use server::signed::refusal::Refusal;
use tests::scenario::City;

fn english(text: &str) -> bool {
    !text.is_empty() && text.is_ascii()
}

#[tokio::test]
async fn verdicts_and_errors_carry_the_message_in_both_languages() {
    let city = City::start().await;
    let mut review = city.review().await;
    let units = city.units().await;
    let other = units.iter().find(|u| **u != review.unit).unwrap().clone();

    // A signed application refused: its reason in Chinese and English, the same on a repeat.
    let signed = review
        .clerk
        .sign_quota_use("lang-1", &other, review.category, 1);
    let first = review.clerk.push(vec![signed.clone()]).await.remove(0);
    assert_eq!(first.status, VerdictStatus::Rejected);
    assert_eq!(first.code.as_deref(), Some("out_of_scope"));
    assert_eq!(first.message, Some(Refusal::SignerOutOfScope.message_zh()));
    assert_eq!(
        first.message_en,
        Some(Refusal::SignerOutOfScope.message_en())
    );
    let repeat = review.clerk.push(vec![signed]).await.remove(0);
    assert_eq!(repeat, first);

    // A signed decision refused: the same.
    review
        .clerk
        .file_quota_use("lang-2", &review.unit, review.category, 1)
        .await;
    let verdict = review
        .reviewer
        .decide("lang-2-a", "lang-2", Action::Approve, "同意")
        .await;
    assert_eq!(verdict.status, VerdictStatus::Rejected, "{verdict:?}");
    let (zh, en) = (verdict.message.unwrap(), verdict.message_en.unwrap());
    assert!(!zh.is_ascii() && english(&en), "{zh} / {en}");

    // An error body.
    let response = tests::keys::ApiClient::new(&city.server)
        .get("/api/session")
        .await;
    assert_eq!(response.status(), 401);
    let body: ErrorBody = response.json().await.unwrap();
    assert_eq!(body.message, "请先使用安全密钥登录");
    assert_eq!(
        body.message_en.as_deref(),
        Some("sign in with your security key first")
    );

    // The document names both.
    let document: serde_json::Value = review
        .clerk
        .client
        .get("/api/openapi.json")
        .await
        .json()
        .await
        .unwrap();
    for schema in ["ErrorBody", "Verdict", "DecisionVerdict"] {
        let properties = &document["components"]["schemas"][schema]["properties"];
        assert!(
            properties.get("message").is_some() && properties.get("message_en").is_some(),
            "{schema}: {properties}"
        );
    }
}
