//! Hostile input over HTTP (issue 15): sign-in assertions whose clientData a browser would
//! only write inside a cross-origin frame, and bodies over the size limit.

use tests::keys::error_code;
use tests::scenario::City;

#[tokio::test]
async fn sign_in_refuses_client_data_of_a_cross_origin_frame() {
    let city = City::start().await;
    let unit = city.units().await.remove(0);
    let mut holder = city.clerk("cross-frame", &unit).await;
    // The control: our own clientDataJSON as a top-level page writes it signs in.
    let response = holder
        .sign_in_with_client_data(|cd| {
            cd.insert("crossOrigin".into(), false.into());
        })
        .await;
    assert_eq!(response.status(), 200);
    // `crossOrigin: true`, and a `topOrigin` (only present in a cross-origin frame).
    let response = holder
        .sign_in_with_client_data(|cd| {
            cd.insert("crossOrigin".into(), true.into());
        })
        .await;
    assert_eq!(error_code(response).await, (422, "sign_in_failed".into()));
    let response = holder
        .sign_in_with_client_data(|cd| {
            cd.insert("topOrigin".into(), "https://evil.example".into());
        })
        .await;
    assert_eq!(error_code(response).await, (422, "sign_in_failed".into()));
    // What webauthn-rs already checks stays checked: another origin, another type.
    let response = holder
        .sign_in_with_client_data(|cd| {
            cd.insert("origin".into(), "https://evil.example".into());
        })
        .await;
    assert_eq!(error_code(response).await, (422, "sign_in_failed".into()));
    let response = holder
        .sign_in_with_client_data(|cd| {
            cd.insert("type".into(), "webauthn.create".into());
        })
        .await;
    assert_eq!(error_code(response).await, (422, "sign_in_failed".into()));
}
