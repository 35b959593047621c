//! Every string the interface shows, in Simplified Chinese (the default) and English.
//!
//! Components never hold text: they name a [`Msg`] and render `t(Msg::…)`.

use leptos::prelude::*;

/// Key under which the chosen language is kept in `localStorage`.
pub const STORAGE_KEY: &str = "staffing.lang";

/// A language of the interface.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// BCP 47 tag, for `<html lang>` and storage.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// Parses a stored tag; anything unknown is Chinese.
    pub fn from_tag(tag: &str) -> Self {
        if tag.eq_ignore_ascii_case("en") {
            Lang::En
        } else {
            Lang::Zh
        }
    }

    /// The other language (the switch toggles between the two).
    pub fn other(self) -> Self {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }
}

macro_rules! messages {
    ($($name:ident => $zh:literal, $en:literal;)*) => {
        /// A string of the interface.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Msg { $($name),* }

        impl Msg {
            /// Every message, for completeness checks.
            pub const ALL: &'static [Msg] = &[$(Msg::$name),*];

            /// The text in `lang`.
            pub fn text(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((Msg::$name, Lang::Zh) => $zh, (Msg::$name, Lang::En) => $en,)*
                }
            }
        }
    };
}

messages! {
    AppTitle => "电子编制管理证", "Electronic Staffing Certificate";
    AppSubtitle => "机构编制实名制管理", "Establishment and staffing control";
    SwitchLanguage => "English", "中文";
    SwitchLanguageLabel => "切换到英文界面", "Switch the interface to Chinese";
    ConnectivityOnline => "在线", "Online";
    ConnectivityOffline => "离线", "Offline";
    ConnectivityChecking => "正在检测网络…", "Checking connection…";
    OfflineBanner => "当前处于离线状态：已保存在本机的编制证信息仍可查看，已签名的申报会在联网后自动提交。",
        "You are offline: the certificate saved on this computer stays available, and signed applications are submitted when the connection returns.";
    SignInTitle => "使用安全密钥登录", "Sign in with your security key";
    SignInIntro => "请将本单位配发的USB安全密钥插入电脑，然后点击下方按钮并按提示触摸密钥、输入PIN码。",
        "Insert the USB security key issued to your unit, press the button below, then touch the key and enter its PIN when asked.";
    SignInButton => "使用安全密钥登录", "Sign in with security key";
    SignInUnavailable => "安全密钥登录尚未开放：身份认证功能正在建设中，目前无法登录。",
        "Security-key sign-in is not available yet: identity is still being built, so signing in is not possible at this time.";
    NotFoundTitle => "页面不存在", "Page not found";
    NotFoundBack => "返回首页", "Back to the start page";
    FooterVersion => "版本", "Version";
}

/// Reads the stored language (Chinese if none), creates its signal, keeps `<html lang>` and
/// storage in step with it, and provides it as context.
pub fn provide_lang() -> RwSignal<Lang> {
    let lang = RwSignal::new(stored_lang().unwrap_or_default());
    Effect::new(move || {
        let lang = lang.get();
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", lang.tag());
        }
        if let Some(storage) = local_storage() {
            let _ = storage.set_item(STORAGE_KEY, lang.tag());
        }
    });
    provide_context(lang);
    lang
}

fn local_storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// The language kept in `localStorage`, if any.
pub fn stored_lang() -> Option<Lang> {
    local_storage()?
        .get_item(STORAGE_KEY)
        .ok()
        .flatten()
        .map(|tag| Lang::from_tag(&tag))
}

/// The current language from context (Chinese outside an app).
pub fn use_lang() -> RwSignal<Lang> {
    use_context::<RwSignal<Lang>>().unwrap_or_else(|| RwSignal::new(Lang::Zh))
}

/// A reactive text: re-renders when the language changes.
pub fn t(msg: Msg) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let lang = use_lang();
    move || msg.text(lang.get())
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn every_message_is_translated() {
        for msg in Msg::ALL {
            let zh = msg.text(Lang::Zh);
            let en = msg.text(Lang::En);
            assert!(!zh.trim().is_empty(), "{msg:?} has no Chinese text");
            assert!(!en.trim().is_empty(), "{msg:?} has no English text");
            assert_ne!(zh, en, "{msg:?} is not translated");
        }
    }

    #[wasm_bindgen_test]
    fn tags_round_trip_and_unknown_is_chinese() {
        for lang in [Lang::Zh, Lang::En] {
            assert_eq!(Lang::from_tag(lang.tag()), lang);
            assert_eq!(lang.other().other(), lang);
        }
        assert_eq!(Lang::from_tag("fr"), Lang::Zh);
    }
}
