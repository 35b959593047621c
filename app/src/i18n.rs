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

    /// Of a label written in both languages (a domain value's `label_zh` and `label_en`), the
    /// one in this language.
    pub fn pick(self, zh: &'static str, en: &'static str) -> &'static str {
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
        /// A string of the interface: its Chinese and English text. A message is a constant
        /// (a reference to its two texts), not an index into one table, so that a bundle links
        /// only the texts its own pages name (issue 10: per-role bundles).
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub struct Msg(&'static [&'static str; 2]);

        #[allow(non_upper_case_globals)]
        impl Msg {
            $(pub const $name: Msg = Msg(&[$zh, $en]);)*

            /// Every message, for completeness checks.
            pub const ALL: &'static [Msg] = &[$(Msg::$name),*];

            /// The text in `lang`.
            pub fn text(self, lang: Lang) -> &'static str {
                let [zh, en] = *self.0;
                lang.pick(zh, en)
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
    NavReview => "审核工作台", "Review queue";
    ReviewTitle => "审核工作台", "Review queue";
    ReviewNotReviewer => "审核工作台供主管部门和编办审核人员使用。", "The review queue is for the supervising department and the bureau's reviewers.";
    ReviewScopeSupervisor => "本部门主管单位提交的编制使用申请。", "Quota-use requests of the units your department supervises.";
    ReviewScopeBureau => "本辖区各单位的全部申请。", "Every application of the units in your region.";
    FilterKind => "业务类型", "Kind";
    FilterUnit => "单位", "Unit";
    FilterStatus => "状态", "Status";
    FilterAge => "已等待", "Waiting";
    FilterAll => "全部", "All";
    FilterMine => "待我处理", "Awaiting my decision";
    FilterAwaiting => "审核中", "Under review";
    FilterDecided => "已办结", "Decided";
    AgeOver3 => "3天以上", "Over 3 days";
    AgeOver7 => "7天以上", "Over 7 days";
    AgeOver30 => "30天以上", "Over 30 days";
    ReviewShown => "显示", "Showing";
    ReviewOf => "件，共", "of";
    ReviewItems => "件", "applications";
    ReviewMineCount => "待我处理：", "Awaiting my decision: ";
    ReviewEmpty => "没有符合条件的申请。", "No application matches.";
    ColWaitingSince => "状态时间", "Status since";
    ColDays => "等待天数", "Days waiting";
    ColMyDecision => "我的决定", "My decision";
    ReviewOpen => "查看", "Open";
    DecisionPendingSync => "已签名，待同步", "Signed, waiting to sync";
    DecisionInEffect => "已生效", "In effect";
    DecisionRefused => "未被接受：", "Not accepted: ";
    DecisionOvertaken => "该申请已由他人先行处理，您的决定未生效。当前状态：", "Someone else decided this application first; your decision did not take effect. Its status now: ";
    MyDecisionsTitle => "本机签署的审批决定", "Decisions signed on this computer";
    MyDecisionsEmpty => "尚未签署审批决定。", "No decisions signed yet.";
    SubmissionBack => "返回列表", "Back to the list";
    SubmissionStatus => "当前状态", "Status";
    SubmissionSince => "状态时间", "Status since";
    SubmissionDays => "已等待（天）", "Waiting (days)";
    SubmissionNoDocument => "申请人签名的内容将在下次同步后显示。", "What the clerk signed shows after the next sync.";
    LedgerTitle => "单位编制台帐：当前 → 决定后", "The unit's ledger: now → after the decision";
    LedgerUnknown => "本机没有该单位的编制台帐。", "The unit's ledger is not stored on this computer.";
    LedgerBreaks => "注意：按此决定办理将使编制台帐不成立，服务器将拒绝：", "Warning: this decision would break the ledger, and the server will refuse it: ";
    DecisionTitle => "审批决定", "Decision";
    DecisionNote => "审批意见", "Comment";
    DecisionNoteHint => "退回修改和不予核准须填写理由。", "A return or a rejection must give its reason.";
    DecisionNext => "下一步：确认", "Next: confirm";
    DecisionNothing => "此申请当前无需您处理。", "There is nothing for you to decide on this application now.";
    DecisionAlready => "您已对此申请签署决定：", "You have signed a decision on it: ";
    ConfirmDecisionTitle => "确认审批决定", "Confirm the decision";
    ConfirmDecisionIntro => "以下决定将由您的安全密钥签名，离线时保存在本机，联网后自动提交。", "Your security key will sign the decision below; offline, it is kept on this computer and sent when the server can be reached.";
    ConfirmAction => "决定", "Decision";
    ShowJson => "显示签名原文（JSON）", "Show the signed text (JSON)";
    HideJson => "隐藏签名原文", "Hide the signed text";
    DecisionSigned => "审批决定已签名并保存在本机，将自动提交。", "The decision is signed and kept on this computer; it is sent automatically.";
    BatchApprove => "批量核准所选入编登记", "Approve the selected onboardings";
    BatchTitle => "确认批量核准", "Confirm the batch approval";
    BatchIntro => "以下每件申请分别签名：每件按提示触摸一次安全密钥。", "Each application below is signed on its own: touch the key once for each.";
    BatchSigned => "已签名：", "Signed: ";
    SyncDecisionsWaiting => "待同步审批决定：", "Decisions waiting to sync: ";
    SyncDecisionsRefused => "未被接受的决定：", "Decisions not accepted: ";
    Withdraw => "撤回", "Withdraw";
    WithdrawConfirm => "撤回此申请？撤回须用安全密钥签名，撤回后不能恢复。", "Withdraw this application? The withdrawal is signed with your security key and cannot be undone.";
    WithdrawSign => "签名并撤回", "Sign and withdraw";
    WithdrawCancel => "取消", "Cancel";
    WithdrawPending => "撤回已签名，待同步", "Withdrawal signed, waiting to sync";
    DocTitle => "申请人签名的申请内容", "What the clerk signed";
    DocKey => "签名密钥", "Signing key";
    DocReceived => "服务器接收时间", "Received by the server";
    DocVerified => "✓ 服务器已核验签名", "✓ signature verified by the server";
    DocDecisions => "审批记录", "Decisions so far";
    DocLate => "逾期提交：超过期限", "Filed late: overdue by";
    DocDays => "天", "days";
    DocDueOn => "提交期限：", "due on ";
    QueueLate => "逾期", "late by";
    DocHrDocument => "人事部门文件文号", "HR document number";
    DocSlipLeft => "剩余", "left";
    ConfirmSubject => "申请事项", "What it asks";
    DocSlip => "编制使用单", "Quota-use slip";
    DocValidUntil => "有效期至", "valid until";
    DocIdNumber => "身份证号", "ID number";
    DocBirthDate => "出生日期", "Date of birth";
    DocEntryForm => "进入形式", "Way of entry";
    DocEnrolledOn => "入编时间", "Enrolled on";
    DocDepartureReason => "出编原因", "Reason for leaving";
    DocLeftOn => "出编日期", "Left on";
    DocSubject => "变更对象", "Changed record";
    DocSubjectUnit => "单位信息", "The unit's record";
    DocChangedOn => "变更日期", "Changed on";
    DocChange => "变更事项（原 → 新）", "Change (old → new)";
    DocCurrentRecord => "当前在编信息", "Current record";
    DocNotOnStaff => "本机的在编人员名册中没有此人。", "This person is not on the staff roster stored here.";
    OfflineBanner => "当前处于离线状态：已保存在本机的编制证信息仍可查看，已签名的申请会在联网后自动提交。",
        "You are offline: the certificate saved on this computer stays available, and signed applications are submitted when the connection returns.";
    SignInTitle => "使用安全密钥登录", "Sign in with your security key";
    SignInIntro => "请将本单位配发的USB安全密钥插入电脑，填写登录名后点击下方按钮，并按提示触摸密钥、输入PIN码。",
        "Insert the USB security key issued to your unit, enter your login name, press the button below, then touch the key and enter its PIN when asked.";
    SignInLogin => "登录名", "Login name";
    SignInLoginEmpty => "登录名不能为空", "The login name must not be empty";
    SignInButton => "使用安全密钥登录", "Sign in with security key";
    SignInAlready => "您已登录：", "You are signed in as ";
    SignInNeedsServer => "登录需要连接服务器；离线时可以继续使用已登录的账户签名申请。",
        "Signing in needs the server; while offline you can keep signing applications as the holder already signed in.";
    ProgressContacting => "正在连接服务器…", "Contacting the server…";
    ProgressTouchKey => "请触摸安全密钥，并按提示输入PIN码…", "Touch your security key and enter its PIN when asked…";
    ProgressVerifying => "正在核验…", "Verifying…";
    EnrolTitle => "注册安全密钥", "Register your security key";
    EnrolIntro => "请插入本单位配发的USB安全密钥，核对下方的注册码后点击按钮，并按提示触摸密钥、设置或输入PIN码。注册码只能使用一次。",
        "Insert the USB security key issued to your unit, check the enrolment code below, press the button, then touch the key and set or enter its PIN when asked. The code works once.";
    EnrolCode => "注册码", "Enrolment code";
    EnrolCodeEmpty => "注册码不能为空", "The enrolment code must not be empty";
    EnrolButton => "注册安全密钥", "Register security key";
    EnrolDone => "安全密钥注册成功。使用人员：", "Your security key is registered. Key holder: ";
    EnrolLoginIs => "登录名：", "Login name: ";
    GoToSignIn => "前往登录", "Go to sign-in";
    SignedInAs => "当前用户：", "Signed in: ";
    SignOut => "退出登录", "Sign out";
    SignOutClear => "退出并清除本机数据", "Sign out and clear this computer";
    SignOutClearHint => "公用电脑请用此项：删除本机保存的编制证和人员信息；尚未提交的已签名申请会保留，下次登录后自动提交。", "On a shared computer: deletes the certificates and staff data kept here; signed applications not yet submitted are kept and submitted after the next sign-in.";
    NavApply => "办理申请", "Applications";
    ApplyTitle => "办理申请", "File an application";
    ApplyNeedsSignIn => "请先使用安全密钥登录。", "Sign in with your security key first.";
    ApplyNotClerk => "只有用编单位经办人可以填报申请。", "Only a unit clerk can file applications.";
    ApplyUnit => "申请单位", "Applying unit";
    FieldCategory => "编制类别", "Establishment category";
    FieldFunding => "经费形式", "Funding form";
    FieldCount => "申请数量", "Number of posts";
    FieldRecruitment => "补充方式", "Way of filling";
    FieldReason => "申请理由", "Reason";
    FieldDocument => "请示文号", "Request document number";
    FieldDocumentHint => "选填，例如：天教发〔2026〕12号", "Optional, for example 天教发〔2026〕12号";
    ChooseOption => "请选择", "Choose…";
    ErrCount => "申请数量须为1至9999之间的整数", "The number of posts must be a whole number from 1 to 9999";
    FormHasErrors => "请修改标出的项目后再继续，已填写的内容均已保留。", "Correct the marked fields to continue; everything you typed is kept.";
    ApplyNext => "下一步", "Next";
    ConfirmTitle => "确认签名内容", "Confirm what you sign";
    ConfirmIntro => "以下内容将由您的安全密钥签名，签名后不能修改。请逐项核对。", "Your security key will sign exactly the following; it cannot be changed after signing. Check every item.";
    ConfirmKind => "业务类型", "Kind of application";
    ConfirmCreatedAt => "创建时间", "Created at";
    ConfirmApplicationId => "申请标识", "Application id";
    ConfirmSigner => "签名人", "Signer";
    ConfirmCanonical => "签名原文（规范化JSON）", "Signed text (canonical JSON)";
    ConfirmNone => "无", "None";
    ConfirmBack => "返回修改", "Back to edit";
    ConfirmSign => "使用安全密钥签名", "Sign with security key";
    Signed => "已签名并保存在本机，联网后自动提交。", "Signed and saved on this computer; it is submitted when the server can be reached.";
    NoCredential => "本机没有保存您的安全密钥信息，请联网后重新登录。", "No security key is recorded for you on this computer; sign in again while online.";
    ClockUnusable => "电脑时钟不可用，无法生成申请。", "The computer's clock is unusable, so the application cannot be created.";
    CredentialMismatch => "签名所用的安全密钥与确认内容不一致，申请未保存，请使用登录时的安全密钥重试。",
        "The key that signed is not the one named in what you confirmed; nothing was saved. Try again with the key you signed in with.";
    OutboxEmpty => "暂无已签名的申请。", "No signed applications yet.";
    StatusPending => "待同步", "Waiting to sync";
    StatusAccepted => "已提交", "Submitted";
    StatusRejected => "未受理", "Not accepted";
    StatusHeld => "待复核", "Held for review";
    SignedAt => "签名时间", "Signed at";
    SessionExpired => "登录已过期，请重新登录。已签名的申请仍保存在本机，重新登录后自动提交。",
        "Your session has expired: sign in again. Signed applications stay on this computer and are submitted after you sign in.";
    SyncServer => "提交失败，稍后自动重试：", "Submitting failed and will be retried: ";
    StorageUnavailable => "本机存储不可用，申请无法保存。", "Local storage is unavailable, so nothing can be saved.";
    StorageWriteFailed => "写入本机存储失败（空间可能已满），申请未保存。", "Writing to local storage failed (it may be full); nothing was saved.";
    SyncStorageWriteFailed => "写入本机存储失败（空间可能已满）：同步结果未能保存，稍后自动重试。已签名的申请仍保存在本机。",
        "Writing to local storage failed (it may be full): what the server sent could not be saved and will be fetched again. Signed applications are still kept on this computer.";
    StorageOutdated => "本系统已在其他窗口更新，请刷新本页面后继续；已签名的申请不会丢失。", "The app was updated in another window: reload this page to continue. Signed applications are not lost.";
    StorageUndecodable => "服务器发来的数据本机无法识别（请刷新页面以使用最新版本），同步暂停并将自动重试。无法识别的记录：", "What the server sent cannot be read by this version (reload the page to get the newest); syncing pauses and will retry. The record: ";
    StorageCorrupt => "本机保存的数据无法读取。", "The data saved on this computer cannot be read.";
    ApiNetwork => "无法连接服务器，请检查网络后重试。", "The server cannot be reached; check the connection and try again.";
    ApiStatus => "服务器拒绝了请求", "The server refused the request";
    ApiDecode => "服务器的答复无法识别。", "The server's answer could not be read.";
    WebAuthnNotSupported => "此浏览器不支持安全密钥，请使用新版Chrome、Edge或Firefox。", "This browser does not support security keys; use a recent Chrome, Edge or Firefox.";
    WebAuthnNotAllowed => "操作已取消或超时，或所用安全密钥未注册。请重试。", "The request was cancelled or timed out, or the key used is not registered. Try again.";
    WebAuthnInvalidState => "这把安全密钥已经注册过。", "This security key is already registered.";
    WebAuthnSecurity => "当前网址不允许使用安全密钥，请通过正式网址访问。", "This address may not use security keys; open the system at its official address.";
    WebAuthnAborted => "操作已中止。", "The request was aborted.";
    WebAuthnConstraint => "这把安全密钥不支持PIN码验证，无法使用。", "This security key cannot verify a PIN, so it cannot be used.";
    WebAuthnOther => "安全密钥操作失败，请重试。", "The security key operation failed; try again.";
    NavCertificate => "编制证", "Certificate";
    SyncStatusTitle => "同步状态", "Sync status";
    SyncLastSync => "上次同步：", "Last sync: ";
    SyncNever => "尚未同步", "Not yet synced";
    SyncWaiting => "待同步：", "Waiting: ";
    SyncRejected => "未受理待修改：", "Not accepted, to revise: ";
    SyncItems => "份", "item(s)";
    SyncProgress => "正在同步编制证：", "Syncing certificates: ";
    SyncUnits => "个单位", "units";
    SyncBusy => "正在同步…", "Syncing…";
    SyncOtherTab => "由本机另一个窗口负责同步", "Another window on this computer is syncing";
    StorageUsage => "本机存储：", "Stored here: ";
    StorageOf => "，可用上限", " of ";
    StoragePersisted => "已获准长期保存", "kept by the browser";
    StorageNotPersisted => "磁盘空间不足时，浏览器可能清除本机数据；请保持联网，及时同步", "the browser may clear it when disk space runs low: stay online and sync often";
    CertificateTitle => "编制证", "Establishment certificate";
    CertificateEmpty => "本机还没有编制证数据，联网后会自动同步。", "No certificate is stored on this computer yet; it syncs when the server can be reached.";
    CertificateScope => "本机保存：", "Stored here: ";
    CertificateUnits => "个单位，在编人员", "units, staff ";
    CertificatePeople => "人", "people";
    CertificateChooseUnit => "选择单位", "Unit";
    CertificateFilter => "按单位名称筛选", "Filter by unit name";
    CertificateConfirmedNote => "以下数字为服务器已确认的数据；待同步和待审核的申请单独列出，不计入。", "The figures below are confirmed by the server; applications waiting to sync or under review are listed apart and not counted.";
    LedgerCategory => "编制类别", "Category";
    LedgerApproved => "核定数", "Approved";
    LedgerFilled => "实有数", "Filled";
    LedgerReserved => "已核准待使用", "Reserved";
    LedgerVacant => "空编数", "Vacant";
    RosterTitle => "在编人员名册", "Staff roster";
    RosterName => "姓名", "Name";
    RosterSex => "性别", "Sex";
    RosterCategory => "编制类别", "Category";
    RosterPosition => "职务", "Position";
    RosterDivision => "内设机构", "Division";
    RosterShown => "显示前", "Showing the first ";
    RosterOf => "人，共", " of ";
    SlipNumber => "编制使用单：", "Quota-use slip: ";
    VacancyConfirmed => "本单位该类别空编（已确认，未扣除待审批申请占用）：", "Vacant posts of this category (confirmed, before requests awaiting a decision): ";
    VacancyPosts => "名", "posts";
    Revise => "修改后重新签名", "Revise and sign again";
    Revising => "正在修改未获通过的申请，签名后将作为新申请提交。", "You are revising an application that did not go through; once signed it is submitted as a new one.";
    RevisedBy => "已修改并重新签名，新申请标识：", "Revised and signed again as";
    FieldSlip => "编制使用单", "Quota-use slip";
    FieldHrDocument => "组织人社部门手续文号", "Organisation/HR document number";
    FieldIdNumber => "身份证号", "ID number";
    FieldName => "姓名", "Name";
    FieldSex => "性别", "Sex";
    FieldBirthDate => "出生日期", "Date of birth";
    FieldEthnicity => "民族", "Ethnicity";
    FieldNativePlace => "籍贯", "Native place";
    FieldPoliticalStatus => "政治面貌", "Political status";
    FieldEducation => "最高学历", "Highest education";
    FieldDegree => "学位", "Degree";
    FieldDivision => "内设机构", "Division";
    FieldPersonnelClass => "人员分类", "Personnel class";
    FieldPosition => "职务", "Position";
    FieldRank => "职级", "Rank";
    FieldPostCategory => "岗位类别", "Post category";
    FieldEntryForm => "进入形式", "Way of entry";
    FieldEnrolledOn => "入编时间", "Enrolled on";
    FieldStartedWorkOn => "参加工作时间", "Started work on";
    FieldCurrentPostSince => "任现职时间", "In current post since";
    FieldUnitName => "单位名称", "Unit name";
    FieldShortName => "简称", "Short name";
    FieldCreditCode => "统一社会信用代码", "Unified social credit code";
    FieldUnitLevel => "机构规格", "Level";
    FieldInstitutionCategory => "事业单位分类", "Public institution category";
    FieldFoundedOn => "成立时间", "Founded on";
    FieldFoundingDocument => "成立文号", "Founding document";
    UnitRecordSubject => "本单位信息", "This unit's record";
    FieldPerson => "人员", "Person";
    FieldDepartureReason => "出编原因", "Reason for leaving";
    FieldLeftOn => "事由发生日期", "Date it happened";
    FieldDepartureDocument => "依据文件文号", "Document it rests on";
    FieldChangedOn => "变更发生日期", "Date of the change";
    FieldChangeDocument => "依据文号", "Document number";
    FieldChanges => "变更事项", "Changes";
    ChooseField => "请选择", "Choose the ";
    ErrRequired => "此项不能为空", "This field must not be empty";
    ErrIdHoldsPost => "该身份证号在本机数据中已占用编制，同一人只能占用一个编制", "This ID number already holds a post in the local copy: one person, one post";
    ErrNotChangeable => "此项不能通过信息变更修改", "A record change cannot change this field";
    DateHint => "格式：2026-12-01", "Form: 2026-12-01";
    OptionalHint => "选填", "Optional";
    SlipOption => "剩余", "left";
    SlipValidUntil => "有效期至", "valid until";
    NoUsableSlip => "本单位没有可用的编制使用单（须在有效期内且尚有剩余）。请先提出用编申请。", "Your unit has no usable quota-use slip (in force, with posts left). File a request to use posts first.";
    DeadlineDue => "申请期限：", "File by ";
    DeadlineLeft => "，剩余天数：", ", days left: ";
    DeadlineLate => "已逾期，天数：", "Late, days overdue: ";
    DeadlineLateNote => "逾期仍可申请，但将标注为逾期。", "A late filing is still accepted, and marked late.";
    DraftsTitle => "草稿（未签名，不是申请）", "Drafts (not signed, not applications)";
    DraftResume => "继续填写", "Resume";
    DraftDiscard => "删除草稿", "Discard";
    DraftSaved => "草稿已自动保存在本机", "Draft saved on this computer";
    DraftUpdated => "保存于", "saved";
    MyApplications => "我的申请", "My applications";
    Print => "打印", "Print";
    NoticeNumber => "通知单编号：", "Notice number: ";
    DeciderComment => "审核意见：", "Reviewer's comment: ";
    PrintMissing => "本机没有这份已核准申请的数据，请联网同步后再打印。", "This computer holds no approved application of that id; sync, then print.";
    PrintNumber => "编号：", "Number: ";
    PrintValidUntil => "有效期至", "Valid until";
    PrintDecider => "审核人", "Approved by";
    DocumentStatusLabel => "单据状态：", "Document status: ";
    DocumentCurrent => "有效", "current";
    DocumentUsed => "已使用", "used";
    DocumentVoid => "已作废", "void";
    DocumentLapsed => "已失效", "lapsed";
    DocumentVoidReason => "作废原因：", "Reason for voiding: ";
    DocumentVoidStamp => "本单据已作废", "THIS DOCUMENT IS VOID";
    PrintQrLabel => "文书核验二维码", "QR code to verify this document";
    PrintQrMissing => "签名文书尚未同步，联网同步后重新打开即显示二维码", "The signed document has not synced yet: sync, then open this again for the QR code";
    PrintQrScan => "扫描二维码核验本文书真伪", "Scan the QR code to check this document";
    PrintVerifyAt => "核验网址：", "Verify at ";
    PrintSeal => "（盖章）", "(seal)";
    PrintedBy => "打印人：", "Printed by ";
    PrintedAt => "打印时间：", "at ";
    SlipsTitle => "编制使用单", "Quota-use slips";
    SlipUsed => "已使用 / 核准", "Used / granted";
    SlipStateTitle => "状态", "State";
    NotFoundTitle => "页面不存在", "Page not found";
    NotFoundBack => "返回首页", "Back to the start page";
    FooterVersion => "版本", "Version";
    NavReports => "报表", "Reports";
    ReportsTitle => "报表与人员结构分析", "Reports and workforce structure";
    ReportLedger => "编制台帐", "Establishment ledger";
    ReportRoster => "在编人员花名册", "Staff roster";
    ReportDepartures => "减少人员名册", "Departed staff";
    ReportChanges => "人员变动情况", "Staff changes";
    ReportStructure => "人员结构分析", "Workforce structure";
    ReportsScope => "范围", "Scope";
    ReportsScopeAll => "本机全部单位", "Every unit on this computer";
    ReportsScopeSupervised => "及所属单位", " and the units it supervises";
    ReportsFrom => "起始日期", "From";
    ReportsTo => "截止日期", "To";
    ReportsAgeOn => "年龄计算日期：", "Ages on: ";
    ReportsExportXlsx => "导出 Excel（.xlsx）", "Export Excel (.xlsx)";
    ReportsExportCsv => "导出 CSV", "Export CSV";
    ReportsPrint => "打印", "Print";
    ReportsExporting => "正在生成文件…", "Building the file…";
    ReportsExported => "已导出：", "Exported: ";
    ReportsExportFailed => "导出失败：", "Export failed: ";
    ReportsLoading => "正在读取本机数据…", "Reading the data kept on this computer…";
    ReportsEmpty => "本机尚无数据，请联网同步一次。", "No data on this computer yet: sync once online.";
    ReportsRows => "行", "rows";
    ReportsShownFirst => "屏幕显示前", "the screen shows the first";
    ReportsAllInFiles => "行，导出文件包含全部", "rows, the exported files hold them all";
    ReportsNoRows => "所选范围和日期内没有记录。", "Nothing in the chosen scope and dates.";
    ReportsPreparedBy => "制表：", "Prepared by ";
    ReportsTotal => "合计", "total";
    SecOverview => "概览", "Overview";
    SecInfo => "机构信息", "Unit record";
    SecFunctions => "主要职责", "Main functions";
    SecPowers => "权责清单", "Powers and duties";
    SecDivisions => "内（下）设机构", "Internal bodies";
    SecAffiliates => "所属事业单位", "Affiliated institutions";
    SecChart => "组织机构图", "Organisation chart";
    SecHistory => "历史沿革", "History";
    SecLedger => "编制台帐", "Establishment ledger";
    SecLeadership => "领导职数", "Leadership posts";
    SecStaff => "在编人员", "Staff";
    SecDeparted => "减少人员", "Departed staff";
    NotInScope => "（不在您的查看范围内，本机未保存）", "(outside your scope: not stored on this computer)";
    InfoUnitId => "单位标识", "Unit id";
    InfoKind => "单位类别", "Kind of unit";
    InfoRegion => "所在区划", "Region";
    InfoSupervising => "主管部门", "Supervising department";
    InfoParent => "上级单位", "Parent unit";
    InfoNoFunding => "编制证未登记经费形式。", "The certificate records no funding form.";
    LedgerTotal => "合计", "Total";
    SearchText => "按内容搜索", "Search the text";
    NoMatch => "没有符合条件的条目。", "Nothing matches.";
    EmptyFunctions => "编制证未登记主要职责（三定规定尚未录入）。", "The certificate records no main functions (its mandate has not been entered).";
    EmptyPowers => "编制证未登记权责清单：只有机关和承担行政职能的单位才有权责清单。", "The certificate records no powers and duties: only organs and units with administrative functions have such a list.";
    PowerCode => "事项编码", "Code";
    PowerName => "事项名称", "Item";
    PowerCategory => "权力类别", "Category";
    PowerBasis => "设定依据", "Legal basis";
    DivisionName => "机构名称", "Name";
    DivisionKind => "类型", "Kind";
    DivisionFunctions => "职责", "Functions";
    DivisionStaff => "在编人数", "Staff";
    EmptyDivisions => "编制证未登记内设或下设机构：本单位不设内部机构。", "The certificate records no internal or subordinate bodies: the unit has none.";
    EmptyAffiliates => "本单位没有所属事业单位（编制证未登记）。", "The unit has no affiliated institutions (none recorded in the certificate).";
    EmptyHistory => "编制证未登记历史沿革。", "The certificate records no history.";
    EmptyChart => "编制证未登记内设机构和所属事业单位，机构图只有本单位。", "The certificate records no bodies or affiliates: the chart shows the unit alone.";
    ChartInternal => "内设机构", "Internal divisions";
    ChartSubordinate => "下设机构", "Subordinate bodies";
    ChartAffiliates => "所属事业单位", "Affiliated institutions";
    RosterOneUnit => "个单位", "unit";
    LedgerOver => "超编数", "Over";
    LedgerOverNote => "红色：实有人数超过核定编制（超编），超编期间不能再核准用编。", "In red: more people than approved posts (over establishment); no posts can be reserved while it lasts.";
    LedgerRowsTitle => "台帐记录：核定数由以下文件逐件累计", "Ledger rows: the approved figures add up from these documents";
    LedgerDocument => "文号", "Document no.";
    LedgerDate => "发文日期", "Date";
    LedgerDocTitle => "文件标题", "Title";
    LedgerNote => "备注", "Note";
    EmptyLedger => "编制台帐没有记录：尚未核定编制。", "The ledger has no rows: no establishment has been approved yet.";
    CatAdministrative => "行政编制", "Administrative";
    CatPoliticalLegal => "政法专项编制", "Political-legal";
    CatPublicInstitution => "事业编制", "Public institution";
    CatLogistics => "工勤编制", "Logistics";
    LeadLevel => "级别", "Level";
    LeadApproved => "核定职数", "Approved";
    LeadFilled => "实有职数", "Filled";
    LeadOver => "超职数", "Over";
    EmptyLeadership => "编制证未核定领导职数。", "No leadership posts are approved in the certificate.";
    FieldApproval => "批准文号", "Approval no.";
    EmptyDeparted => "本单位没有减少人员记录：编制证登记以来无人出编。", "No one has left the unit since the certificate was kept.";
    RosterUnit => "单位", "Unit";
    RosterScope => "范围", "Scope";
    ScopeUnit => "本单位", "This unit";
    ScopeDepartment => "本单位及主管、所属单位", "With the units it supervises";
    ScopeRegion => "所在区划全部单位", "Every unit of its region";
    RosterSearch => "搜索姓名、身份证号或内设机构", "Search name, ID number or division";
    RosterLoading => "正在读取本机数据…", "Reading the data stored here…";
    RosterMatches => "符合条件：", "Matching: ";
    RosterUnits => "个单位", "units";
    RosterEmpty => "没有符合条件的在编人员。", "No one on the staff matches.";
    PagePrev => "上一页", "Previous";
    PageNext => "下一页", "Next";
    PersonBack => "返回在编人员名册", "Back to the staff roster";
    PersonTitle => "人员信息", "Person record";
    PersonNotFound => "本机没有此人的记录：可能已调离本单位，或不在您的查看范围内。", "No record of this person is stored here: they may have moved, or be outside your scope.";
    PersonDeparted => "出编信息", "Departure";
    FieldEnrolmentDocument => "入编文号", "Enrolment notice no.";
    PersonDocuments => "入编依据：编制使用单与通知单", "Came in on: slip and notices";
    DocKind => "单据", "Document";
    DocNumberCol => "编号", "Number";
    DocIssuedOn => "出具日期", "Issued on";
    PersonNoDocuments => "此人的记录没有入编单据编号：其入编早于编制使用单和入编通知单的使用。", "This person's record carries no slip or notice number: they were enrolled before slips and notices were used.";
    PersonHistory => "信息变更记录", "Record changes";
    ChangeBefore => "变更前", "Before";
    ChangeAfter => "变更后", "After";
    ChangeApproved => "核准", "Approved";
    PersonNoChanges => "此人没有已核准的信息变更。", "No approved change of this person's record.";
    UnitSearchMore => "还有更多单位，请输入更多字。", "More units match: type more.";
    NavOversight => "监督看板", "Oversight";
    OversightTitle => "监督看板", "Oversight dashboard";
    OversightNotBureau => "监督看板供编办领导、审核人员和管理员使用。", "The oversight dashboard is for the bureau's leadership, reviewers and administrators.";
    OversightFrom => "依据本机同步的数据（可离线查看），最近同步：", "From the data synced to this computer (works offline); last synced: ";
    OversightNeverSynced => "尚未同步", "never";
    OversightWaitingDays => "待审超过（天）", "Waiting longer than (days)";
    OversightLapseDays => "使用单到期前（天）", "Slips lapsing within (days)";
    OversightAlertsTitle => "预警", "Alerts";
    OversightNoAlerts => "没有预警。", "No alerts.";
    OversightOver => "超编单位", "Over establishment";
    OversightOverLeadership => "超职数配备", "Over leadership posts";
    OversightLate => "逾期办理的出编登记和信息变更", "Offboardings and record changes filed late";
    OversightLapsing => "即将失效的编制使用单", "Slips about to lapse";
    OversightWaiting => "久未审核的申请", "Submissions waiting too long";
    OversightLedgerTitle => "编制情况（按区划、编制类别）", "Establishment by region and category";
    OversightUnitsTitle => "单位明细", "Units";
    OversightDrillHint => "点击区划名称查看所辖单位。", "Click a region to see its units.";
    OversightRegion => "区划", "Region";
    OversightCategory => "编制类别", "Category";
    OversightUnits => "单位数", "Units";
    OversightUnit => "单位", "Unit";
    OversightDetail => "情况", "Details";
    OversightAlertKind => "预警类型", "Alert";
    OversightTotal => "合计", "Total";
    OversightApproved => "核定", "Approved";
    OversightFilled => "实有", "Filled";
    OversightReserved => "已核准未使用", "Reserved";
    OversightVacant => "空编", "Vacant";
    OversightOverBy => "超编", "Over";
    OversightDueOn => "应于", "due";
    OversightLateBy => "逾期", "late by";
    OversightDays => "天", "days";
    OversightValidUntil => "有效期至", "valid until";
    OversightDaysLeft => "剩余", "left:";
    OversightWaited => "已等待", "waiting";
    NavHolders => "使用人员备案", "Key holders";
    HoldersTitle => "使用人员备案", "Key holders and their keys";
    HoldersNotAdmin => "使用人员备案由编办管理员办理。", "Key holders are registered by the bureau's administrator.";
    HoldersIntro => "登记使用人员，发放一次性注册码（在使用人员本人的电脑上打开链接注册安全密钥），查看、吊销密钥。县区管理员只能办理本县区的人员。", "Register key holders, issue a one-time enrolment code (the holder opens the link on their own computer to enrol a security key), see and revoke keys. A county administrator acts only in their county.";
    HoldersRegister => "登记使用人员", "Register a key holder";
    HoldersRegisterButton => "登记并发放注册码", "Register and issue an enrolment code";
    HoldersLogin => "登录名", "Login";
    HoldersName => "姓名", "Name";
    HoldersRole => "角色", "Role";
    HoldersScope => "管理范围", "Scope";
    HoldersPhone => "联系电话", "Phone";
    HoldersAsDepartment => "（作为主管部门）", " (as supervising department)";
    HoldersScopeHint => "管理范围：unit:单位标识（经办人）、department:单位标识（主管部门）或 region:行政区划代码（编办），可从列表中选择。", "Scope: unit:<unit id> (a clerk), department:<unit id> (a supervising department) or region:<division code> (a bureau); pick from the list.";
    HoldersRequired => "必填", "Required";
    HoldersLoginFormat => "只能使用字母、数字和 . _ -，最长 64 个字符", "Letters, digits and . _ - only, at most 64 characters";
    HoldersScopeFormat => "格式应为 unit:单位标识、department:单位标识 或 region:行政区划代码", "Must be unit:<unit id>, department:<unit id> or region:<division code>";
    HoldersPhoneFormat => "只能包含数字、空格、+ 和 -，最长 32 个字符", "Digits, spaces, + and - only, at most 32 characters";
    HoldersListTitle => "使用人员", "Key holders";
    HoldersSearch => "查找（登录名或姓名）：", "Search (login or name): ";
    HoldersKeys => "有效密钥", "Active keys";
    HoldersState => "状态", "Status";
    HoldersActive => "正常", "Active";
    HoldersSuspended => "已暂停", "Suspended";
    HoldersRegisteredAt => "登记于", "registered";
    HoldersSuspendedAt => "暂停于 ", "suspended ";
    HoldersIssueCode => "发放注册码", "Issue an enrolment code";
    HoldersSuspend => "暂停使用", "Suspend";
    HoldersReinstate => "恢复使用", "Reinstate";
    HoldersRevoke => "吊销", "Revoke";
    HoldersNoKeys => "尚未注册安全密钥。", "No security key enrolled yet.";
    HoldersKeyModel => "密钥型号", "Key model";
    HoldersKeyUnknownModel => "未知型号", "Unknown model";
    HoldersKeyEnrolled => "注册时间", "Enrolled";
    HoldersKeyLastUsed => "最近使用", "Last used";
    HoldersKeyCounter => "签名计数", "Counter";
    HoldersKeyRevoked => "已吊销", "Revoked";
    HoldersKeyReenrol => "演示模式注册，生产环境下已停用：须重新注册", "Enrolled in demo mode, refused in production: must re-enrol";
    HoldersKeyDemo => "演示模式注册：正式运行时须重新注册", "Enrolled in demo mode: must re-enrol in production";
    HoldersCodeFor => "注册码已发放：", "Enrolment code issued for ";
    HoldersCodeLink => "注册链接（在使用人员本人的电脑上打开）：", "Enrolment link (open it on the holder's own computer): ";
    HoldersCodeValue => "注册码：", "Code: ";
    HoldersCodeExpires => "有效期至 ", "valid until ";
    HoldersCodeHint => "注册码只能使用一次，只显示这一次；请当面或通过内部渠道交给本人。", "The code works once and is shown only now; hand it to the holder in person or through an internal channel.";
    HoldersRegisterSheet => "使用人员备案表", "Register of key holders (使用人员备案表)";
    HoldersRegisterShow => "生成备案表", "Show the register";
    HoldersSignUnit => "单位（盖章）：　　　　　　经办人签字：", "Unit (seal):              Clerk's signature:";
    HoldersSignBureau => "编办审核（盖章）：　　　　日期：", "Bureau (seal):              Date:";
    HoldersCodeQr => "注册链接二维码：在使用人员本人的电脑或手机上扫码打开", "The enrolment link as a QR code: scan it on the holder's own device";
    NavActs => "管理文书", "Bureau acts";
    ActsTitle => "管理文书", "Bureau acts";
    ActsIntro => "核编、减编、调编，设立、调整、合并、撤销单位，核定领导职数：填写文件信息，核对后使用安全密钥签名，立即提交编办服务器生效，各单位在下次同步后看到变化。", "Establishment changes and transfers; units created, amended, merged or abolished; leadership posts: fill in the document, check it, sign it with your security key; it takes effect on the server at once and every unit sees it at its next sync.";
    ActsNotAdmin => "管理文书由编办管理员签署。", "Bureau acts are signed by the bureau's administrator.";
    ActsOffline => "当前离线：管理文书是编办的权威数据，须联网才能提交。已填写的内容保留在本页，联网后即可继续。", "Offline: bureau acts are the bureau's authoritative data and need the network. What you typed stays on this page; continue when the connection is back.";
    ActsUnsent => "文书已签名，但未能送达服务器（网络中断）。内容已保留，联网后点击“重新提交”。", "The act is signed but did not reach the server (no network). It is kept: press \u{201c}Send again\u{201d} when the connection is back.";
    ActsTryLater => "文书已签名，但服务器暂时未能处理（未作任何记录）。内容已保留，请稍后点击“重新提交”。", "The act is signed, but the server could not process it just now (nothing was recorded). It is kept: press \u{201c}Send again\u{201d} in a moment.";
    ActsRefused => "未予受理：", "Refused: ";
    ActsUnitNotInScope => "不是您管理范围内的单位（请从列表中选择）", "Not a unit of your scope (choose one from the list)";
    ActsUnitHint => "输入单位名称或标识，从列表中选择", "Type a unit's name or id and choose it from the list";
    ActsSignedNumber => "请填写整数，增加为正数、减少为负数（如 3 或 -2）", "A whole number: positive to add, negative to remove (e.g. 3 or -2)";
    ActsCount => "请填写不小于零的整数", "A whole number, zero or more";
    ActsNoChange => "至少填写一项", "Fill in at least one";
    ActsUnitIdTaken => "该单位标识已被使用", "This unit id is taken";
    ActsPreviewTitle => "编制情况：现在 → 文书生效后", "Establishment now → after the act";
    ActsOver => "文件明确同意超编（生效后标记为超编）", "The document explicitly allows over-establishment (flagged once in effect)";
    ActsChanges => "编制增减（按编制类别）", "Change per establishment category";
    ActsChangeHint => "如 3 或 -2", "e.g. 3 or -2";
    ActsPosts => "调整编制数（按编制类别）", "Posts moved per establishment category";
    ActsCountHint => "如 2", "e.g. 2";
    ActsNote => "备注", "Note";
    ActsFrom => "调出单位", "From unit";
    ActsTo => "调入单位", "To unit";
    ActsUnitId => "单位标识", "Unit id";
    ActsUnitIdHint => "留空则使用所示的下一个标识", "Leave empty to use the next id shown";
    ActsCreditCodeHint => "18位，选填，填写时校验", "18 characters, optional, checked when given";
    ActsUnitKind => "单位类别", "Kind of unit";
    ActsSupervising => "主管部门（选填）", "Supervising department (optional)";
    ActsParent => "上级单位（选填）", "Parent unit (optional)";
    ActsAmendHint => "已填入单位现有信息，只修改需要调整的项目。主管部门留空即取消主管部门。", "The unit's current record is filled in: change only what the document changes. An empty supervising department removes it.";
    ActsAbsorbed => "被合并单位（撤并后注销）", "Absorbed unit (removed by the merger)";
    ActsInto => "合并后单位（承接人员和编制）", "Unit it merges into (takes the staff and posts)";
    ActsMergeHint => "被合并单位的在编人员、减少人员和核定编制全部转入合并后单位；被合并单位不得有已核准未使用的编制。", "The absorbed unit's staff, departed staff and approved posts all move to the other unit; it may have no reserved posts.";
    ActsAbolishHint => "只有没有在编人员、没有已核准未使用编制的单位才能撤销；其核定编制随之收回。", "Only a unit with no staff and no reserved posts can be abolished; its approved posts are withdrawn.";
    ActsLeadership => "领导职数", "Leadership posts";
    ActsLeadershipHint => "核定数，不改的留空", "approved; empty keeps it";
    ActsDocumentTitle => "依据文件", "The document";
    ActsDocument => "文号", "Document number";
    ActsDocumentHint => "如 天编发〔2026〕12号", "e.g. 天编发〔2026〕12号";
    ActsDate => "发文日期", "Date of the document";
    ActsDocTitle => "文件标题", "Title of the document";
    ActsYes => "是", "yes";
    ActsNone => "无", "none";
    ActsNext => "下一步：核对", "Next: check";
    ActsConfirmTitle => "核对并签名", "Check and sign";
    ActsConfirmIntro => "以下内容将以您的安全密钥签名并立即提交，生效后记入各单位的历史沿革。", "This is what your security key signs; it is sent at once and, in effect, recorded in each unit's history.";
    ActsActId => "文书标识", "Act id";
    ActsSign => "使用安全密钥签名并提交", "Sign with the security key and send";
    ActsSendAgain => "重新提交", "Send again";
    ActsAccepted => "文书已生效。", "The act is in effect.";
    ActsAcceptedUnits => "涉及单位：", "Units: ";
    ActsFlagged => "已按文件记录为超编（监督看板中预警）。", "Recorded as over establishment, as the document allows (an alert on the dashboard).";
    ActsAcceptedHint => "各单位及本机在下次同步后显示变化。", "Every unit, and this computer, shows the change after its next sync.";
    ActsAgain => "办理下一件", "Another act";
    NavVerification => "数据核实", "Data verification";
    VerifTitle => "数据核实", "Data verification (数据核实)";
    VerifNotAllowed => "数据核实由编办和单位经办人办理。", "Data verification is done by the bureau and the units' clerks.";
    VerifIntro => "各单位现有人员数据分三步核实：① 下载导入模板，填写本单位在编人员；② 上传文件检查——每个错误列出行、列和规则，文件无误后签名导入（也可选择只导入无误的行）；③ 单位经办人核对编制证后签名确认，编办再签名确认。", "Each unit's existing staff are verified in three steps: (1) download the template and fill in the unit's staff; (2) upload the file to check it — each error is listed by row, column and rule — and sign the import once the file is clean (or choose to import only the valid rows); (3) the unit's clerk reviews the certificate and confirms it by signing, then the bureau confirms it by signing.";
    VerifProgress => "核实进度（按区划）", "Progress by region";
    VerifDrillHint => "点击区划名称查看所辖单位，点击“办理”进入该单位。", "Click a region to see its units, then “Open” to work on a unit.";
    VerifNotStarted => "未开始", "Not started";
    VerifImported => "已导入", "Imported";
    VerifConfirmedByUnit => "单位已确认", "Confirmed by the unit";
    VerifConfirmedByBureau => "编办已确认", "Confirmed by the bureau";
    VerifState => "核实状态", "State";
    VerifStaff => "在编人数", "Staff";
    VerifChoose => "办理", "Open";
    VerifUnitTitle => "单位：", "Unit: ";
    VerifOpenCertificate => "核对编制证", "Review the certificate";
    VerifStepImport => "导入现有人员", "Import the existing staff";
    VerifTemplate => "下载导入模板（.xlsx）", "Download the template (.xlsx)";
    VerifFile => "选择填写好的文件：", "Choose the filled-in file: ";
    ChooseFile => "选择文件…", "Choose a file…";
    NoFileChosen => "未选择文件", "No file chosen";
    VerifCheck => "检查文件", "Check the file";
    VerifChecking => "正在检查文件…", "Checking the file…";
    VerifNoFile => "请先选择文件。", "Choose a file first.";
    VerifOnlineOnly => "检查和导入需要连接服务器；检查不会导入任何数据。", "Checking and importing need the server; checking imports nothing.";
    VerifReportTitle => "检查结果", "Check report";
    VerifRowsTotal => "数据行：", "Rows: ";
    VerifRowsValid => "无误：", "valid: ";
    VerifErrorCount => "错误：", "errors: ";
    VerifClean => "文件无误，可以导入。", "The file is clean and can be imported.";
    VerifNothingImported => "文件有错误，尚未导入任何数据。请改正后重新检查。", "The file has errors: nothing has been imported. Correct them and check again.";
    VerifRow => "行", "Row";
    VerifColumn => "列", "Column";
    VerifRule => "问题", "Problem";
    VerifFixHint => "行号是表格中的行号（第 1 行为表头）。也可以只导入无误的行，有错误的行不导入，改正后另行导入。", "Row numbers are the spreadsheet's (row 1 is the header). You may also import only the valid rows: the rows with errors are left out, to be imported once corrected.";
    VerifImportAll => "签名导入全部数据", "Sign and import all rows";
    VerifImportValid => "仅导入无误的行（签名）", "Import only the valid rows (sign)";
    VerifSigning => "请按安全密钥签名…", "Touch your security key to sign…";
    VerifImportDone => "已导入，同步后显示在编制证中：", "Imported; on the certificate after the next sync:";
    VerifPeople => "人", "people";
    VerifFlagOver => "注意：导入后该单位超编，已记录。", "Note: the unit is over establishment after the import; this has been recorded.";
    VerifRefused => "未办理：", "Not done: ";
    VerifStepConfirm => "确认", "Confirmation";
    VerifConfirmHint => "确认前请打开编制证逐项核对。", "Before confirming, open the certificate and check it.";
    VerifConfirmUnit => "核对无误，单位签名确认", "Checked: confirm for the unit (sign)";
    VerifConfirmBureau => "编办签名确认", "Confirm for the bureau (sign)";
    VerifConfirmDone => "已确认，同步后更新状态。", "Confirmed; the state updates after the next sync.";
    VerifWaitUnit => "等待单位经办人核对确认。", "Waiting for the unit's clerk to confirm.";
    VerifWaitBureau => "单位已确认，等待编办确认。", "Confirmed by the unit; waiting for the bureau.";
    VerifComplete => "编办已确认，本单位数据核实完成。", "Confirmed by the bureau: this unit's verification is complete.";
    OversightNotVerified => "尚未完成数据核实的单位", "Units not yet verified";
    OversightListCapped => "此处只列出前 200 条，完整列表请导出。", "Only the first 200 are listed here; export for the whole list.";
    OversightFromServer => "预警天数默认采用服务器设置，可在此临时调整。", "The alert thresholds start from the server's settings; you may adjust them here.";
    ActsKind => "文书类型", "Kind of act";
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

/// The message naming an issued document's status code (`current`, `used`, `void`, `lapsed`).
pub fn document_status(code: &str) -> Option<Msg> {
    Some(match code {
        "current" => Msg::DocumentCurrent,
        "used" => Msg::DocumentUsed,
        "void" => Msg::DocumentVoid,
        "lapsed" => Msg::DocumentLapsed,
        _ => return None,
    })
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
