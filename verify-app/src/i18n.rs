//! Every string of the verification page, in Simplified Chinese (the default) and English.
//!
//! Components never hold text: they name a [`Msg`] and render `t(Msg::…)`. The chosen
//! language is kept under the main app's `localStorage` key, so a switch made in either app
//! holds in both.

use leptos::prelude::*;

/// Key under which the chosen language is kept (the main app's).
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

    /// Of a text written in both languages, the one in this language.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
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
                const TEXTS: &[[&str; 2]] = &[$([$zh, $en]),*];
                let [zh, en] = TEXTS[self as usize];
                lang.pick(zh, en)
            }
        }
    };
}

messages! {
    Title => "文书真伪核验", "Document verification";
    Subtitle => "机关事业单位编制使用单 · 入编通知单 · 出编通知单", "Quota-use slips · onboarding notices · offboarding notices";
    SwitchLanguage => "English", "中文";
    SwitchLanguageLabel => "切换到英文界面", "Switch the interface to Chinese";
    TabDocument => "核验文书", "Check a document";
    TabAudit => "核验审计日志", "Check the audit log";
    DocumentIntro => "扫描文书上的二维码，或粘贴扫码得到的内容，也可以只输入文号（仅文号时需联网）。", "Scan the QR code on the document, or paste what a scanner read from it; a document number alone can be checked online only.";
    InputLabel => "二维码内容或文号", "QR content or document number";
    InputHint => "例如：扫码枪读出的整段内容，或 天编用〔2026〕0012号", "e.g. the whole text a scanner reads, or 天编用〔2026〕0012号";
    Verify => "核验", "Check";
    Clear => "清空", "Clear";
    ScanStart => "用摄像头扫码", "Scan with the camera";
    ScanStop => "停止扫码", "Stop scanning";
    ScanHint => "把二维码放在取景框中，保持平稳。", "Hold the QR code steady inside the frame.";
    ScanUnavailable => "此浏览器无法使用摄像头扫码，请用扫码枪或手机扫码后把内容粘贴到上面。", "This browser cannot use a camera here: scan with a scanner or a phone and paste the content above.";
    ScanDenied => "没有得到使用摄像头的许可。", "Permission to use the camera was not given.";
    Genuine => "真实", "GENUINE";
    NotGenuine => "不真实", "NOT GENUINE";
    GenuineLine => "签名核验通过：本文书由下列机关签发，内容未被改动。", "The signature verifies: the bureau below issued this document and nothing in it was changed.";
    GenuineNumberLine => "系统中有此文号的文书，由下列机关签发。", "The system holds a document with this number, issued by the bureau below.";
    Unchecked => "无法核验", "CANNOT CHECK";
    NotGenuineLine => "请勿凭此文书办理入编、出编或工资手续。原因：", "Do not act on this document (recruitment, payroll). Reason:";
    ReasonAltered => "内容被改动：文书内容与签名不符。", "Altered: the content does not match its signature.";
    ReasonTruncated => "内容不完整：二维码内容被截断（可能扫码或复制不全，请重新扫码）。", "Truncated: the QR content is incomplete (perhaps scanned or copied in part; scan again).";
    ReasonForeignKey => "签名密钥不是编办公布的密钥：不是本系统签发的文书。", "Signed with a key the bureaus never published: not issued by this system.";
    ReasonBadSignature => "签名与文书内容不符：文书或签名被改动。", "The signature does not match the content: the document or its signature was changed.";
    ReasonUnknownFormat => "无法识别：这不是本系统文书的二维码内容或文号。", "Not recognised: this is neither the QR content of one of these documents nor a document number.";
    ReasonNoSuchNumber => "系统中没有这个文号的文书。", "The system holds no document with this number.";
    ReasonNeedsNetwork => "仅凭文号核验需要联网；离线时请扫描二维码。", "A number alone can be checked only online; offline, scan the QR code.";
    ReasonWrongBureau => "签名密钥属于另一个编办，不是文书所署签发机关的密钥。", "Signed with another bureau's key than the issuing bureau named on it.";
    ReasonKeyRetired => "签名密钥在文书签发日期之前已停用。", "The signing key was retired before the document's date.";
    ReasonVoid => "已作废：编办已作废本文书。", "Void: the bureau voided this document.";
    StatusUnknown => "本机没有此文书状态的记录。", "this computer holds no record of its status.";
    FieldSlip => "所用编制使用单", "Slip used";
    ReasonNoKeys => "本机还没有编办公布的公钥，请联网打开一次本页面。", "This computer holds no published keys yet: open this page online once.";
    StatusTitle => "当前状态", "Current status";
    StatusAsOf => "状态截至上次同步：", "Status as of the last sync: ";
    StatusOffline => "现在无法联网，当前状态（有效、已使用、作废或失效）请联网后再查。", "Offline now: check its current status (current, used, void, lapsed) again online.";
    StatusSignIn => "登录的编办、主管部门或本单位经办人可查看文书当前状态。", "Bureau staff, the supervising department or the unit's clerk see the current status when signed in.";
    StatusNotShown => "未登录时只显示真伪和文号。", "Signed out, only genuine or not and the number are shown.";
    KeysSyncedAt => "编办公钥最后同步：", "Published keys last synced: ";
    KeysNever => "尚未同步", "never";
    History => "办理经过", "What happened";
    FieldKind => "文书", "Document";
    FieldNumber => "文号", "Number";
    FieldBureau => "签发机关", "Issued by";
    FieldIssuedOn => "签发日期", "Issued on";
    FieldUnit => "单位", "Unit";
    FieldCategory => "编制类别", "Category";
    FieldCount => "核准编制数", "Posts";
    FieldName => "姓名", "Name";
    FieldIdNumber => "身份证号", "ID number";
    FieldDate => "入编/出编日期", "Date";
    FieldValidUntil => "有效期至", "Valid until";
    FieldDecision => "审批决定", "Approving decision";
    FieldKey => "签名密钥", "Signing key";
    AuditIntro => "载入服务器导出的审计日志文件（server export-audit）和签名的日志头，逐条核对哈希链、日志头签名以及二者是否一致。", "Load an audit chain exported by the server (server export-audit) and its signed head: every link, the head's signature and that the two match are checked.";
    AuditChainFile => "审计日志文件", "Audit chain file";
    AuditHeadFile => "日志头文件（可选）", "Head file (optional)";
    AuditFetchHead => "从服务器取日志头", "Fetch the head from the server";
    AuditHeadFetched => "已取得服务器当前的日志头", "The server's current head was fetched";
    AuditHeadFromExport => "未另行载入日志头时，核对导出文件自带的日志头（导出时签名）。", "Without a separate head, the head the export carries (signed when exported) is checked.";
    AuditChainMissing => "请先载入审计日志文件。", "Load an audit chain file first.";
    AuditCheck => "核验审计日志", "Check the audit log";
    AuditIntact => "审计日志完整", "AUDIT LOG INTACT";
    AuditBroken => "审计日志不完整", "AUDIT LOG BROKEN";
    AuditEntries => "条目数", "Entries";
    AuditHeadSequence => "日志头序号", "Head sequence";
    AuditHeadHash => "日志头哈希", "Head hash";
    AuditHeadTime => "日志头时间", "Head time";
    AuditFirstBroken => "第一个断裂的条目：", "First broken entry: ";
    AuditReadFailed => "文件无法读取。", "The file could not be read.";
    FetchFailed => "无法连接服务器。", "The server could not be reached.";
    Working => "正在核验…", "Checking…";
    Offline => "离线", "Offline";
    Online => "在线", "Online";
    Footer => "本页无需登录；核验在本机完成，输入的内容不会上传（仅文号查询会发送文号）。", "No sign-in needed; the check runs on this computer and what you enter is not uploaded (a number alone is sent to look it up).";
}

/// The language signal, provided by [`crate::App`].
pub fn use_lang() -> RwSignal<Lang> {
    use_context::<RwSignal<Lang>>().unwrap_or_else(|| RwSignal::new(Lang::Zh))
}

/// A reactive text: `t(Msg::Title)` in the current language.
pub fn t(msg: Msg) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let lang = use_lang();
    move || msg.text(lang.get())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_has_both_languages_and_they_differ_where_words_are_shown() {
        for msg in Msg::ALL {
            let (zh, en) = (msg.text(Lang::Zh), msg.text(Lang::En));
            assert!(!zh.trim().is_empty() && !en.trim().is_empty(), "{msg:?}");
            assert!(zh != en, "{msg:?} is not translated");
            let chinese = en.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
            // The switch names the other language in that language; an example number is Chinese.
            let allowed = *msg == Msg::SwitchLanguage || en.contains('〔');
            assert!(!chinese || allowed, "{msg:?}: Chinese in English");
        }
    }
}
