//! Name lists and tables of the demo city: departments, affiliates, towns, surnames, given-name
//! characters, native places. Data only; the generation logic lives in the other modules.
//!
//! In name patterns `{R}` is the region's full name (天水市, 秦州区, 张家川回族自治县) and `{r}` its
//! one-character form (市, 区, 县).

use domain::unit::{InstitutionCategory as Ic, PowerCategory as Pc};

/// Which branch a department belongs to; decides its kind and its name pattern family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Branch {
    Party,
    Government,
    Congress,
    Cppcc,
    Court,
    Procuratorate,
    Mass,
    DemocraticParty,
}

/// A department (机关、群团、民主党派) of the city or of a county.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Dept {
    /// Key the affiliates refer to.
    pub key: &'static str,
    /// City-level name pattern ("" when the city has none).
    pub city: &'static str,
    /// County-level name pattern ("" when counties have none).
    pub county: &'static str,
    /// Short-name pattern ("" to derive it from the name).
    pub short: &'static str,
    pub branch: Branch,
    /// The field of work, for the main functions (e.g. 教育).
    pub field: &'static str,
    /// The main law of the field, for the power list.
    pub law: &'static str,
    /// Relative staff size at city level.
    pub weight: u32,
    /// Whether it holds 政法专项编制.
    pub political_legal: bool,
    /// Kind-specific internal divisions (city names, 科; counties use 股).
    pub divisions: &'static [&'static str],
    /// Specific items of the power list.
    pub powers: &'static [(&'static str, Pc, &'static str)],
}

const fn d(
    key: &'static str,
    city: &'static str,
    county: &'static str,
    branch: Branch,
    field: &'static str,
    law: &'static str,
    weight: u32,
) -> Dept {
    Dept {
        key,
        city,
        county,
        short: "",
        branch,
        field,
        law,
        weight,
        political_legal: false,
        divisions: &[],
        powers: &[],
    }
}

use Branch::{
    Congress, Court, Cppcc, DemocraticParty as Dp, Government as Gov, Mass, Party, Procuratorate,
};

/// Departments in order of importance (the order the smaller cities keep).
pub(crate) const DEPTS: &[Dept] = &[
    Dept {
        short: "{r}委办",
        divisions: &["秘书科", "督查室", "机要科", "信息科"],
        ..d(
            "wb",
            "中共{R}委办公室",
            "中共{R}委办公室",
            Party,
            "党委日常运转和综合协调",
            "《中国共产党机构编制工作条例》",
            45,
        )
    },
    Dept {
        short: "{r}政府办",
        divisions: &["秘书科", "督查科", "综合调研科", "政务公开科"],
        ..d(
            "zfb",
            "{R}人民政府办公室",
            "{R}人民政府办公室",
            Gov,
            "政府日常运转和综合协调",
            "《中华人民共和国政府信息公开条例》",
            45,
        )
    },
    Dept {
        divisions: &[
            "基础教育科",
            "职业教育与成人教育科",
            "教师工作科",
            "教育督导室",
            "学生资助管理科",
        ],
        powers: &[
            (
                "民办学校设立审批",
                Pc::Licensing,
                "《中华人民共和国民办教育促进法》",
            ),
            ("教师资格认定", Pc::Licensing, "《教师资格条例》"),
            (
                "对违规办学行为的处罚",
                Pc::Penalty,
                "《中华人民共和国教育法》",
            ),
        ],
        ..d(
            "jy",
            "{R}教育局",
            "{R}教育局",
            Gov,
            "教育",
            "《中华人民共和国教育法》",
            45,
        )
    },
    Dept {
        divisions: &[
            "医政医管科",
            "基层卫生健康科",
            "疾病预防控制科",
            "妇幼健康科",
            "人口监测与家庭发展科",
        ],
        powers: &[
            ("医疗机构执业登记", Pc::Licensing, "《医疗机构管理条例》"),
            ("医师执业注册", Pc::Licensing, "《中华人民共和国医师法》"),
            (
                "对医疗机构违法执业的处罚",
                Pc::Penalty,
                "《医疗机构管理条例》",
            ),
        ],
        ..d(
            "wj",
            "{R}卫生健康委员会",
            "{R}卫生健康局",
            Gov,
            "卫生健康",
            "《中华人民共和国基本医疗卫生与健康促进法》",
            40,
        )
    },
    Dept {
        political_legal: true,
        divisions: &[
            "指挥中心",
            "治安管理科",
            "刑事侦查科",
            "警务督察科",
            "出入境管理科",
        ],
        powers: &[
            (
                "居民身份证核发",
                Pc::Confirmation,
                "《中华人民共和国居民身份证法》",
            ),
            (
                "对违反治安管理行为的处罚",
                Pc::Penalty,
                "《中华人民共和国治安管理处罚法》",
            ),
            (
                "机动车登记",
                Pc::Confirmation,
                "《中华人民共和国道路交通安全法》",
            ),
            (
                "烟花爆竹燃放许可",
                Pc::Licensing,
                "《烟花爆竹安全管理条例》",
            ),
        ],
        ..d(
            "ga",
            "{R}公安局",
            "{R}公安局",
            Gov,
            "公安",
            "《中华人民共和国人民警察法》",
            300,
        )
    },
    Dept {
        divisions: &[
            "组织科",
            "干部科",
            "干部监督科",
            "公务员管理科",
            "人才工作科",
        ],
        ..d(
            "zzb",
            "中共{R}委组织部",
            "中共{R}委组织部",
            Party,
            "组织和干部",
            "《中国共产党组织工作条例》",
            40,
        )
    },
    Dept {
        divisions: &["预算科", "国库科", "社会保障科", "政府采购管理科", "会计科"],
        powers: &[
            (
                "对违反财政法规行为的处罚",
                Pc::Penalty,
                "《财政违法行为处罚处分条例》",
            ),
            (
                "政府采购监督检查",
                Pc::Inspection,
                "《中华人民共和国政府采购法》",
            ),
        ],
        ..d(
            "cz",
            "{R}财政局",
            "{R}财政局",
            Gov,
            "财政",
            "《中华人民共和国预算法》",
            45,
        )
    },
    Dept {
        short: "{r}人社局",
        divisions: &[
            "就业促进科",
            "养老保险科",
            "劳动关系科",
            "事业单位人事管理科",
            "职业能力建设科",
        ],
        powers: &[
            (
                "劳务派遣经营许可",
                Pc::Licensing,
                "《中华人民共和国劳动合同法》",
            ),
            ("劳动保障监察", Pc::Inspection, "《劳动保障监察条例》"),
            ("失业保险金给付", Pc::Payment, "《失业保险条例》"),
        ],
        ..d(
            "rs",
            "{R}人力资源和社会保障局",
            "{R}人力资源和社会保障局",
            Gov,
            "人力资源和社会保障",
            "《中华人民共和国劳动法》",
            45,
        )
    },
    Dept {
        short: "{r}发改委",
        divisions: &["规划科", "投资科", "价格科", "经济运行科"],
        powers: &[(
            "固定资产投资项目核准",
            Pc::Licensing,
            "《企业投资项目核准和备案管理条例》",
        )],
        ..d(
            "fg",
            "{R}发展和改革委员会",
            "{R}发展和改革局",
            Gov,
            "发展和改革",
            "《中华人民共和国价格法》",
            40,
        )
    },
    Dept {
        short: "{r}市场监管局",
        divisions: &[
            "登记注册科",
            "食品生产安全监督管理科",
            "质量发展科",
            "价格监督检查科",
            "综合执法科",
        ],
        powers: &[
            (
                "食品经营许可",
                Pc::Licensing,
                "《中华人民共和国食品安全法》",
            ),
            (
                "对生产销售不合格产品的处罚",
                Pc::Penalty,
                "《中华人民共和国产品质量法》",
            ),
            (
                "特种设备安全监督检查",
                Pc::Inspection,
                "《中华人民共和国特种设备安全法》",
            ),
        ],
        ..d(
            "sj",
            "{R}市场监督管理局",
            "{R}市场监督管理局",
            Gov,
            "市场监督管理",
            "《中华人民共和国行政许可法》",
            80,
        )
    },
    Dept {
        short: "{r}纪委监委",
        divisions: &[
            "党风政风监督室",
            "信访室",
            "案件监督管理室",
            "第一监督检查室",
            "第二监督检查室",
            "审查调理室",
        ],
        ..d(
            "jw",
            "中共{R}纪律检查委员会",
            "中共{R}纪律检查委员会",
            Party,
            "纪律检查和监察",
            "《中华人民共和国监察法》",
            70,
        )
    },
    Dept {
        divisions: &["理论科", "宣传科", "新闻出版科", "文明创建科"],
        ..d(
            "xc",
            "中共{R}委宣传部",
            "中共{R}委宣传部",
            Party,
            "宣传思想文化",
            "《中国共产党宣传工作条例》",
            30,
        )
    },
    Dept {
        short: "{r}委统战部",
        divisions: &["党派科", "民族宗教科", "经济科"],
        ..d(
            "tz",
            "中共{R}委统一战线工作部",
            "中共{R}委统一战线工作部",
            Party,
            "统一战线",
            "《中国共产党统一战线工作条例》",
            25,
        )
    },
    Dept {
        short: "{r}委政法委",
        divisions: &["综治督导科", "执法监督科", "政治部"],
        ..d(
            "zfw",
            "中共{R}委政法委员会",
            "中共{R}委政法委员会",
            Party,
            "政法",
            "《中国共产党政法工作条例》",
            25,
        )
    },
    Dept {
        short: "{r}委编办",
        divisions: &["机关编制科", "事业编制科", "监督检查科"],
        ..d(
            "bb",
            "中共{R}委机构编制委员会办公室",
            "中共{R}委机构编制委员会办公室",
            Party,
            "机构编制",
            "《中国共产党机构编制工作条例》",
            20,
        )
    },
    Dept {
        short: "{r}人大办",
        divisions: &["秘书科", "研究室", "人事代表工作科", "法制工作科"],
        ..d(
            "rd",
            "{R}人大常委会办公室",
            "{R}人大常委会办公室",
            Congress,
            "人大常委会日常工作",
            "《中华人民共和国地方各级人民代表大会和地方各级人民政府组织法》",
            35,
        )
    },
    Dept {
        short: "{r}政协办",
        divisions: &["秘书科", "提案委员会办公室", "文史资料委员会办公室"],
        ..d(
            "zx",
            "政协{R}委员会办公室",
            "政协{R}委员会办公室",
            Cppcc,
            "政协日常工作",
            "《中国人民政治协商会议章程》",
            30,
        )
    },
    Dept {
        political_legal: true,
        divisions: &["立案庭", "刑事审判庭", "民事审判庭", "行政审判庭", "执行局"],
        ..d(
            "fy",
            "{R}中级人民法院",
            "{R}人民法院",
            Court,
            "审判",
            "《中华人民共和国人民法院组织法》",
            150,
        )
    },
    Dept {
        political_legal: true,
        divisions: &["第一检察部", "第二检察部", "第三检察部", "控告申诉检察部"],
        ..d(
            "jcy",
            "{R}人民检察院",
            "{R}人民检察院",
            Procuratorate,
            "检察",
            "《中华人民共和国人民检察院组织法》",
            90,
        )
    },
    Dept {
        political_legal: true,
        divisions: &[
            "律师工作科",
            "社区矫正管理科",
            "人民参与和促进法治科",
            "公共法律服务管理科",
        ],
        powers: &[(
            "律师事务所设立审核",
            Pc::Licensing,
            "《中华人民共和国律师法》",
        )],
        ..d(
            "sf",
            "{R}司法局",
            "{R}司法局",
            Gov,
            "司法行政",
            "《中华人民共和国律师法》",
            40,
        )
    },
    Dept {
        divisions: &["社会救助科", "养老服务科", "社会组织管理科", "区划地名科"],
        powers: &[
            (
                "社会团体成立登记",
                Pc::Licensing,
                "《社会团体登记管理条例》",
            ),
            ("最低生活保障金给付", Pc::Payment, "《社会救助暂行办法》"),
        ],
        ..d(
            "mz",
            "{R}民政局",
            "{R}民政局",
            Gov,
            "民政",
            "《社会救助暂行办法》",
            30,
        )
    },
    Dept {
        divisions: &[
            "国土空间规划科",
            "耕地保护监督科",
            "自然资源确权登记科",
            "矿业权管理科",
        ],
        powers: &[
            (
                "建设用地规划许可",
                Pc::Licensing,
                "《中华人民共和国城乡规划法》",
            ),
            ("不动产登记", Pc::Confirmation, "《不动产登记暂行条例》"),
            (
                "对非法占用土地的处罚",
                Pc::Penalty,
                "《中华人民共和国土地管理法》",
            ),
        ],
        ..d(
            "zr",
            "{R}自然资源局",
            "{R}自然资源局",
            Gov,
            "自然资源",
            "《中华人民共和国土地管理法》",
            60,
        )
    },
    Dept {
        short: "{r}住建局",
        divisions: &["建筑市场监管科", "城市建设科", "住房保障科", "村镇建设科"],
        powers: &[(
            "建筑工程施工许可",
            Pc::Licensing,
            "《中华人民共和国建筑法》",
        )],
        ..d(
            "zj",
            "{R}住房和城乡建设局",
            "{R}住房和城乡建设局",
            Gov,
            "住房和城乡建设",
            "《中华人民共和国建筑法》",
            40,
        )
    },
    Dept {
        divisions: &["综合运输科", "公路管理科", "运输管理科"],
        powers: &[(
            "道路运输经营许可",
            Pc::Licensing,
            "《中华人民共和国道路运输条例》",
        )],
        ..d(
            "jt",
            "{R}交通运输局",
            "{R}交通运输局",
            Gov,
            "交通运输",
            "《中华人民共和国公路法》",
            40,
        )
    },
    Dept {
        divisions: &["水资源管理科", "农村水利水电科", "河湖管理科"],
        powers: &[(
            "取水许可",
            Pc::Licensing,
            "《取水许可和水资源费征收管理条例》",
        )],
        ..d(
            "sw",
            "{R}水务局",
            "{R}水务局",
            Gov,
            "水务",
            "《中华人民共和国水法》",
            35,
        )
    },
    Dept {
        divisions: &[
            "乡村产业发展科",
            "种植业管理科",
            "畜牧兽医科",
            "农田建设管理科",
        ],
        powers: &[(
            "农作物种子生产经营许可",
            Pc::Licensing,
            "《中华人民共和国种子法》",
        )],
        ..d(
            "ny",
            "{R}农业农村局",
            "{R}农业农村局",
            Gov,
            "农业农村",
            "《中华人民共和国农业法》",
            50,
        )
    },
    Dept {
        divisions: &["对外贸易科", "市场运行科", "电子商务科"],
        ..d(
            "swj",
            "{R}商务局",
            "{R}商务局",
            Gov,
            "商务",
            "《中华人民共和国对外贸易法》",
            25,
        )
    },
    Dept {
        short: "{r}文旅局",
        divisions: &["艺术科", "文物科", "旅游市场管理科", "公共服务科"],
        powers: &[("营业性演出审批", Pc::Licensing, "《营业性演出管理条例》")],
        ..d(
            "wl",
            "{R}文化和旅游局",
            "{R}文化和旅游局",
            Gov,
            "文化和旅游",
            "《中华人民共和国文物保护法》",
            30,
        )
    },
    Dept {
        divisions: &["综合统计科", "农村统计科", "统计执法监督科"],
        ..d(
            "tj",
            "{R}统计局",
            "{R}统计局",
            Gov,
            "统计",
            "《中华人民共和国统计法》",
            20,
        )
    },
    Dept {
        divisions: &["财政审计科", "经济责任审计科", "固定资产投资审计科"],
        ..d(
            "sjj",
            "{R}审计局",
            "{R}审计局",
            Gov,
            "审计",
            "《中华人民共和国审计法》",
            30,
        )
    },
    Dept {
        divisions: &["应急指挥科", "安全生产基础科", "防灾减灾救灾科"],
        powers: &[(
            "危险化学品经营许可",
            Pc::Licensing,
            "《危险化学品安全管理条例》",
        )],
        ..d(
            "yj",
            "{R}应急管理局",
            "{R}应急管理局",
            Gov,
            "应急管理",
            "《中华人民共和国安全生产法》",
            35,
        )
    },
    Dept {
        divisions: &["优抚科", "移交安置科", "权益维护科"],
        ..d(
            "tyjr",
            "{R}退役军人事务局",
            "{R}退役军人事务局",
            Gov,
            "退役军人事务",
            "《中华人民共和国退役军人保障法》",
            20,
        )
    },
    Dept {
        divisions: &["医药服务管理科", "待遇保障科", "基金监管科"],
        ..d(
            "yb",
            "{R}医疗保障局",
            "{R}医疗保障局",
            Gov,
            "医疗保障",
            "《医疗保障基金使用监督管理条例》",
            20,
        )
    },
    Dept {
        divisions: &["生态保护修复科", "森林资源管理科", "草原管理科"],
        ..d(
            "lc",
            "{R}林业和草原局",
            "{R}林业和草原局",
            Gov,
            "林业和草原",
            "《中华人民共和国森林法》",
            30,
        )
    },
    Dept {
        short: "{r}工信局",
        divisions: &["产业发展科", "中小企业科", "信息化推进科"],
        ..d(
            "gx",
            "{R}工业和信息化局",
            "{R}工业和信息化局",
            Gov,
            "工业和信息化",
            "《中华人民共和国中小企业促进法》",
            25,
        )
    },
    Dept {
        divisions: &["市容管理科", "市政设施管理科", "环境卫生管理科"],
        ..d(
            "cg",
            "{R}城市管理局",
            "{R}城市管理局",
            Gov,
            "城市管理",
            "《城市市容和环境卫生管理条例》",
            40,
        )
    },
    Dept {
        divisions: &["来访接待科", "办信科", "督查督办科"],
        ..d(
            "xf",
            "{R}信访局",
            "{R}信访局",
            Gov,
            "信访",
            "《信访工作条例》",
            20,
        )
    },
    Dept {
        short: "{r}民宗委",
        divisions: &["民族工作科", "宗教工作科"],
        ..d(
            "mzw",
            "{R}民族宗教事务委员会",
            "{R}民族宗教事务局",
            Gov,
            "民族宗教事务",
            "《宗教事务条例》",
            15,
        )
    },
    Dept {
        divisions: &[
            "生态环境监测科",
            "环境影响评价科",
            "大气环境科",
            "水生态环境科",
        ],
        powers: &[("排污许可", Pc::Licensing, "《排污许可管理条例》")],
        ..d(
            "st",
            "{R}生态环境局",
            "",
            Gov,
            "生态环境",
            "《中华人民共和国环境保护法》",
            45,
        )
    },
    Dept {
        short: "{r}国资委",
        divisions: &["产权管理科", "企业改革科"],
        ..d(
            "gz",
            "{R}人民政府国有资产监督管理委员会",
            "",
            Gov,
            "国有资产监督管理",
            "《企业国有资产监督管理暂行条例》",
            20,
        )
    },
    Dept {
        short: "{r}科技局",
        divisions: &["科技成果转化科", "高新技术科"],
        ..d(
            "kj",
            "{R}科学技术局",
            "",
            Gov,
            "科学技术",
            "《中华人民共和国科学技术进步法》",
            20,
        )
    },
    Dept {
        divisions: &["群众体育科", "竞技体育科"],
        ..d(
            "ty",
            "{R}体育局",
            "",
            Gov,
            "体育",
            "《中华人民共和国体育法》",
            15,
        )
    },
    Dept {
        divisions: &["资产管理科", "公务接待科"],
        ..d(
            "jg",
            "{R}机关事务管理局",
            "",
            Gov,
            "机关事务管理",
            "《机关事务管理条例》",
            15,
        )
    },
    Dept {
        short: "{r}委老干部局",
        divisions: &["离退休干部服务科"],
        ..d(
            "lg",
            "中共{R}委老干部局",
            "中共{R}委老干部局",
            Party,
            "老干部工作",
            "《中国共产党党内法规制定条例》",
            15,
        )
    },
    Dept {
        short: "{r}委政研室",
        divisions: &["综合研究科", "经济研究科"],
        ..d(
            "zy",
            "中共{R}委政策研究室",
            "",
            Party,
            "政策研究",
            "《中国共产党党内法规制定条例》",
            15,
        )
    },
    Dept {
        divisions: &["组织部", "经济工作部", "权益保障部"],
        ..d(
            "gh",
            "{R}总工会",
            "{R}总工会",
            Mass,
            "工会",
            "《中华人民共和国工会法》",
            20,
        )
    },
    Dept {
        short: "团{r}委",
        divisions: &["组织宣传部", "青少年发展部"],
        ..d(
            "tw",
            "共青团{R}委员会",
            "共青团{R}委员会",
            Mass,
            "共青团",
            "《中国共产主义青年团章程》",
            10,
        )
    },
    Dept {
        short: "{r}妇联",
        divisions: &["组织联络部", "权益部"],
        ..d(
            "fl",
            "{R}妇女联合会",
            "{R}妇女联合会",
            Mass,
            "妇女儿童",
            "《中华人民共和国妇女权益保障法》",
            10,
        )
    },
    Dept {
        short: "{r}科协",
        divisions: &["学会部", "科学普及部"],
        ..d(
            "kx",
            "{R}科学技术协会",
            "{R}科学技术协会",
            Mass,
            "科学普及",
            "《中华人民共和国科学技术普及法》",
            10,
        )
    },
    Dept {
        short: "{r}残联",
        divisions: &["康复部", "教育就业部"],
        ..d(
            "cl",
            "{R}残疾人联合会",
            "{R}残疾人联合会",
            Mass,
            "残疾人",
            "《中华人民共和国残疾人保障法》",
            12,
        )
    },
    Dept {
        short: "{r}文联",
        divisions: &["组联部"],
        ..d(
            "wlh",
            "{R}文学艺术界联合会",
            "{R}文学艺术界联合会",
            Mass,
            "文学艺术",
            "《中国文学艺术界联合会章程》",
            10,
        )
    },
    Dept {
        short: "{r}工商联",
        divisions: &["会员部"],
        ..d(
            "gsl",
            "{R}工商业联合会",
            "{R}工商业联合会",
            Mass,
            "工商业",
            "《中华全国工商业联合会章程》",
            10,
        )
    },
    Dept {
        divisions: &["赈济救护部"],
        ..d(
            "hsh",
            "{R}红十字会",
            "{R}红十字会",
            Mass,
            "红十字",
            "《中华人民共和国红十字会法》",
            6,
        )
    },
    Dept {
        short: "{r}侨联",
        divisions: &["联络部"],
        ..d(
            "ql",
            "{R}归国华侨联合会",
            "",
            Mass,
            "归侨侨眷",
            "《中华人民共和国归侨侨眷权益保护法》",
            5,
        )
    },
    Dept {
        short: "民革{r}委",
        ..d(
            "mg",
            "民革{R}委员会",
            "",
            Dp,
            "参政议政",
            "《中国国民党革命委员会章程》",
            6,
        )
    },
    Dept {
        short: "民盟{r}委",
        ..d(
            "mm",
            "民盟{R}委员会",
            "",
            Dp,
            "参政议政",
            "《中国民主同盟章程》",
            6,
        )
    },
    Dept {
        short: "民建{r}委",
        ..d(
            "mj",
            "民建{R}委员会",
            "",
            Dp,
            "参政议政",
            "《中国民主建国会章程》",
            6,
        )
    },
    Dept {
        short: "民进{r}委",
        ..d(
            "mjc",
            "民进{R}委员会",
            "",
            Dp,
            "参政议政",
            "《中国民主促进会章程》",
            6,
        )
    },
    Dept {
        short: "农工党{r}委",
        ..d(
            "ng",
            "农工党{R}委员会",
            "",
            Dp,
            "参政议政",
            "《中国农工民主党章程》",
            6,
        )
    },
    Dept {
        short: "九三学社{r}委",
        ..d(
            "js",
            "九三学社{R}委员会",
            "",
            Dp,
            "参政议政",
            "《九三学社章程》",
            6,
        )
    },
];

/// What sort of institution an affiliate is; decides its divisions, posts and people.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum InstKind {
    School,
    Kindergarten,
    Hospital,
    Clinic,
    Centre,
    Culture,
}

/// An affiliated public institution under a department.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Aff {
    /// The department key.
    pub dept: &'static str,
    /// City-level name pattern ("" for none).
    pub city: &'static str,
    /// County-level name pattern ("" for none).
    pub county: &'static str,
    pub inst: InstKind,
    pub category: Ic,
    /// Relative staff size at city level.
    pub weight: u32,
    /// Priority: the lower, the earlier a small city keeps it.
    pub priority: u32,
}

const fn a(
    dept: &'static str,
    city: &'static str,
    county: &'static str,
    inst: InstKind,
    category: Ic,
    weight: u32,
    priority: u32,
) -> Aff {
    Aff {
        dept,
        city,
        county,
        inst,
        category,
        weight,
        priority,
    }
}

use Ic::{
    Administrative as Adm, Commercial as Com, PublicWelfareOne as W1, PublicWelfareTwo as W2,
};
use InstKind::{Centre, Culture, Hospital, Kindergarten, School};

/// Affiliates of departments, with their priority.
pub(crate) const AFFS: &[Aff] = &[
    a("jy", "{R}第一中学", "{R}第一中学", School, W1, 220, 25),
    a(
        "wj",
        "{R}第一人民医院",
        "{R}人民医院",
        Hospital,
        W2,
        900,
        35,
    ),
    a(
        "wj",
        "{R}疾病预防控制中心",
        "{R}疾病预防控制中心",
        Centre,
        W1,
        60,
        120,
    ),
    a(
        "rs",
        "{R}就业服务中心",
        "{R}就业服务中心",
        Centre,
        W1,
        30,
        130,
    ),
    a("jy", "{R}实验小学", "{R}实验小学", School, W1, 90, 140),
    a("wj", "{R}中医医院", "{R}中医医院", Hospital, W2, 400, 150),
    a(
        "zr",
        "{R}不动产登记服务中心",
        "{R}不动产登记服务中心",
        Centre,
        W1,
        40,
        160,
    ),
    a(
        "ny",
        "{R}农业技术推广中心",
        "{R}农业技术推广中心",
        Centre,
        W1,
        35,
        170,
    ),
    a("wb", "{R}档案馆", "{R}档案馆", Culture, W1, 20, 180),
    a("wl", "{R}图书馆", "{R}图书馆", Culture, W1, 25, 190),
    a(
        "wj",
        "{R}妇幼保健院",
        "{R}妇幼保健院",
        Hospital,
        W2,
        250,
        200,
    ),
    a("jy", "{R}第二中学", "{R}第二中学", School, W1, 180, 210),
    a("zzb", "中共{R}委党校", "中共{R}委党校", Centre, W1, 40, 220),
    a(
        "rs",
        "{R}社会保险事业服务中心",
        "{R}社会保险事业服务中心",
        Centre,
        W1,
        40,
        230,
    ),
    a("jy", "{R}幼儿园", "{R}幼儿园", Kindergarten, W1, 45, 240),
    a(
        "wj",
        "{R}第二人民医院",
        "{R}第二人民医院",
        Hospital,
        W2,
        500,
        250,
    ),
    a("mz", "{R}社会福利院", "{R}社会福利院", Centre, W1, 25, 260),
    a("wl", "{R}文化馆", "{R}文化馆", Culture, W1, 20, 270),
    a("wl", "{R}博物馆", "", Culture, W1, 30, 280),
    a(
        "jy",
        "{R}职业技术教育中心",
        "{R}职业技术教育中心",
        School,
        W1,
        120,
        290,
    ),
    a(
        "jy",
        "{R}特殊教育学校",
        "{R}特殊教育学校",
        School,
        W1,
        30,
        300,
    ),
    a(
        "sj",
        "{R}检验检测中心",
        "{R}检验检测中心",
        Centre,
        W1,
        35,
        310,
    ),
    a("sw", "{R}水土保持站", "{R}水土保持站", Centre, W1, 25, 320),
    a(
        "ny",
        "{R}动物疫病预防控制中心",
        "{R}动物疫病预防控制中心",
        Centre,
        W1,
        30,
        330,
    ),
    a(
        "lc",
        "{R}林业技术推广站",
        "{R}林业技术推广站",
        Centre,
        W1,
        20,
        340,
    ),
    a(
        "zfb",
        "{R}政务服务中心",
        "{R}政务服务中心",
        Centre,
        Adm,
        30,
        350,
    ),
    a(
        "zfb",
        "{R}地方志办公室",
        "{R}地方志办公室",
        Culture,
        W1,
        12,
        360,
    ),
    a("wj", "{R}中心血站", "", Centre, W1, 45, 370),
    a("wj", "{R}急救中心", "", Centre, W1, 50, 380),
    a(
        "wj",
        "{R}卫生健康综合执法支队",
        "{R}卫生健康综合监督执法队",
        Centre,
        Adm,
        30,
        390,
    ),
    a("jy", "{R}第三中学", "{R}第三中学", School, W1, 170, 400),
    a("jy", "{R}第四中学", "{R}第四中学", School, W1, 160, 410),
    a("zj", "{R}住房公积金管理中心", "", Centre, W1, 40, 420),
    a(
        "zj",
        "{R}建设工程质量安全监督站",
        "{R}建设工程质量安全监督站",
        Centre,
        Adm,
        20,
        430,
    ),
    a(
        "jt",
        "{R}公路事业发展中心",
        "{R}公路管理段",
        Centre,
        W1,
        60,
        440,
    ),
    a(
        "cz",
        "{R}财政国库支付中心",
        "{R}财政国库支付中心",
        Centre,
        Adm,
        18,
        450,
    ),
    a(
        "tj",
        "{R}统计普查中心",
        "{R}统计普查中心",
        Centre,
        W1,
        12,
        460,
    ),
    a(
        "yj",
        "{R}应急救援指挥中心",
        "{R}应急救援指挥中心",
        Centre,
        W1,
        15,
        470,
    ),
    a(
        "tyjr",
        "{R}退役军人服务中心",
        "{R}退役军人服务中心",
        Centre,
        W1,
        12,
        480,
    ),
    a(
        "yb",
        "{R}医疗保障服务中心",
        "{R}医疗保障服务中心",
        Centre,
        W1,
        15,
        490,
    ),
    a(
        "cg",
        "{R}环境卫生管理所",
        "{R}环境卫生管理站",
        Centre,
        W1,
        40,
        500,
    ),
    a("cg", "{R}市政设施管理处", "", Centre, W2, 35, 505),
    a("zj", "{R}自来水公司", "", Centre, Com, 40, 510),
    a(
        "gx",
        "{R}中小企业服务中心",
        "{R}中小企业服务中心",
        Centre,
        W1,
        12,
        520,
    ),
    a(
        "swj",
        "{R}招商引资服务中心",
        "{R}招商服务中心",
        Centre,
        W1,
        12,
        530,
    ),
    a("jy", "{R}教育科学研究所", "{R}教研室", Centre, W1, 20, 540),
    a("jy", "{R}第五中学", "{R}第五中学", School, W1, 150, 550),
    a("jy", "{R}第六中学", "{R}第六中学", School, W1, 140, 560),
    a(
        "jy",
        "{R}逸夫实验中学",
        "{R}逸夫实验中学",
        School,
        W1,
        130,
        570,
    ),
    a(
        "jy",
        "{R}第二幼儿园",
        "{R}第二幼儿园",
        Kindergarten,
        W1,
        40,
        580,
    ),
    a("wl", "{R}麦积山石窟艺术研究所", "", Culture, W1, 40, 590),
    a("wl", "{R}秦腔剧团", "{R}秦腔剧团", Culture, W2, 45, 600),
    a(
        "ga",
        "{R}公安局看守所",
        "{R}公安局看守所",
        Centre,
        Adm,
        25,
        610,
    ),
    a("sf", "{R}公证处", "{R}公证处", Centre, W2, 12, 620),
    a("zr", "{R}国土空间规划编制研究中心", "", Centre, W1, 18, 630),
    a(
        "zfb",
        "{R}公共资源交易中心",
        "{R}公共资源交易中心",
        Centre,
        Adm,
        20,
        640,
    ),
    a("wj", "{R}第三人民医院", "", Hospital, W2, 300, 650),
    a("wj", "{R}第四人民医院", "", Hospital, W2, 250, 660),
    a("wj", "{R}中西医结合医院", "", Hospital, W2, 200, 670),
    a("mz", "{R}救助管理站", "{R}救助管理站", Centre, W1, 12, 680),
    a("mz", "{R}殡仪馆", "{R}殡仪馆", Centre, W2, 15, 690),
    a("jy", "{R}第七中学", "{R}第七中学", School, W1, 130, 700),
    a("jy", "{R}第八中学", "{R}第八中学", School, W1, 130, 710),
    a(
        "ny",
        "{R}农产品质量安全检测中心",
        "{R}农产品质量安全检测站",
        Centre,
        W1,
        15,
        720,
    ),
    a(
        "ny",
        "{R}农业综合行政执法队",
        "{R}农业综合行政执法队",
        Centre,
        Adm,
        20,
        730,
    ),
    a(
        "rs",
        "{R}劳动人事争议仲裁院",
        "{R}劳动人事争议仲裁院",
        Centre,
        Adm,
        12,
        740,
    ),
    a("gh", "{R}工人文化宫", "", Culture, W2, 15, 750),
    a(
        "tw",
        "{R}青少年活动中心",
        "{R}青少年活动中心",
        Culture,
        W1,
        12,
        760,
    ),
    a(
        "cl",
        "{R}残疾人康复中心",
        "{R}残疾人康复中心",
        Centre,
        W1,
        15,
        770,
    ),
    a("kx", "{R}科技馆", "", Culture, W1, 15, 780),
    a("ty", "{R}体育运动学校", "", School, W1, 30, 790),
    a("xc", "{R}融媒体中心", "{R}融媒体中心", Culture, W1, 60, 800),
    a("jw", "{R}廉政教育中心", "", Centre, W1, 10, 810),
];

/// Towns (乡镇) and streets (街道) of each county, in the order the generator uses them.
pub(crate) const TOWNS: &[(&str, &[&str])] = &[
    (
        "620502",
        &[
            "大城街道",
            "七里墩街道",
            "玉泉镇",
            "太京镇",
            "皂郊镇",
            "藉口镇",
            "东关街道",
            "中城街道",
            "西关街道",
            "石马坪街道",
            "天水郡街道",
            "汪川镇",
            "牡丹镇",
            "关子镇",
            "西口镇",
            "齐寿镇",
            "天水镇",
            "中梁镇",
            "杨家寺镇",
            "娘娘坝镇",
            "大门镇",
            "秦岭镇",
            "华岐镇",
            "平南镇",
        ],
    ),
    (
        "620503",
        &[
            "道北街道",
            "北道埠街道",
            "社棠镇",
            "马跑泉镇",
            "甘泉镇",
            "桥南街道",
            "渭南镇",
            "东岔镇",
            "花牛镇",
            "中滩镇",
            "新阳镇",
            "元龙镇",
            "伯阳镇",
            "麦积镇",
            "石佛镇",
            "三岔镇",
            "琥珀镇",
            "利桥镇",
            "五龙镇",
            "党川镇",
        ],
    ),
    (
        "620521",
        &[
            "永清镇",
            "红堡镇",
            "白驼镇",
            "金集镇",
            "秦亭镇",
            "山门镇",
            "白沙镇",
            "王河镇",
            "郭川镇",
            "黄门镇",
            "松树镇",
            "远门镇",
            "土门镇",
            "贾川乡",
            "丰望乡",
            "新城乡",
            "草川铺镇",
            "陇东镇",
        ],
    ),
    (
        "620522",
        &[
            "兴国镇",
            "莲花镇",
            "西川镇",
            "陇城镇",
            "郭嘉镇",
            "五营镇",
            "叶堡镇",
            "安伏镇",
            "中山镇",
            "魏店镇",
            "云山镇",
            "兴丰镇",
            "王尹镇",
            "王窑镇",
            "王铺镇",
            "刘坪镇",
            "千户镇",
            "郑川镇",
        ],
    ),
    (
        "620523",
        &[
            "大像山镇",
            "新兴镇",
            "磐安镇",
            "六峰镇",
            "安远镇",
            "金山镇",
            "大石镇",
            "礼辛镇",
            "武家河镇",
            "白家湾镇",
            "谢家湾镇",
            "八里湾镇",
            "西坪镇",
            "古坡镇",
            "大庄镇",
        ],
    ),
    (
        "620524",
        &[
            "城关镇",
            "洛门镇",
            "鸳鸯镇",
            "滩歌镇",
            "四门镇",
            "马力镇",
            "山丹镇",
            "温泉镇",
            "桦林镇",
            "龙台镇",
            "榆盘镇",
            "高楼镇",
            "杨河镇",
            "咀头镇",
            "沿安乡",
        ],
    ),
    (
        "620525",
        &[
            "张家川镇",
            "龙山镇",
            "恭门镇",
            "马鹿镇",
            "梁山镇",
            "马关镇",
            "刘堡镇",
            "胡川镇",
            "大阳镇",
            "川王镇",
            "张棉镇",
            "木河乡",
            "连五乡",
            "平安乡",
            "阎家乡",
        ],
    ),
];

/// Street and place names of the city's urban area, for city-level schools and kindergartens.
pub(crate) const CITY_PLACES: &[&str] = &[
    "解放路",
    "建设路",
    "民主路",
    "自由路",
    "大众路",
    "青年路",
    "环城路",
    "泰山路",
    "岷山路",
    "藉河路",
    "罗玉路",
    "双桥路",
    "忠义巷",
    "石马坪",
    "七里墩",
    "马跑泉",
    "桥南",
    "北道埠",
    "渭滨",
    "东团庄",
    "西十里",
    "暖和湾",
    "坚家河",
    "伏羲路",
    "枣园巷",
    "人民路",
    "成纪路",
    "花牛路",
    "天河路",
    "廿铺",
];

/// Village name endings (村名通名), combined with surnames into names like 王家庄.
pub(crate) const VILLAGE_ENDS: &[&str] = &[
    "庄", "坪", "湾", "沟", "川", "山", "河", "岔", "峪", "台", "堡", "咀", "塬", "门", "寨",
];

/// Surnames (百家姓) weighted roughly by their frequency in eastern Gansu.
pub(crate) const SURNAMES: &[(&str, u32)] = &[
    ("王", 120),
    ("李", 110),
    ("张", 95),
    ("刘", 80),
    ("杨", 75),
    ("赵", 55),
    ("马", 50),
    ("陈", 50),
    ("汪", 30),
    ("吴", 28),
    ("郭", 26),
    ("何", 25),
    ("周", 25),
    ("孙", 24),
    ("徐", 22),
    ("胡", 22),
    ("朱", 20),
    ("高", 20),
    ("罗", 18),
    ("雷", 18),
    ("牛", 16),
    ("裴", 14),
    ("蒲", 14),
    ("苏", 14),
    ("董", 14),
    ("魏", 14),
    ("韩", 14),
    ("谢", 12),
    ("冯", 12),
    ("曹", 12),
    ("袁", 12),
    ("邓", 10),
    ("许", 10),
    ("彭", 10),
    ("吕", 10),
    ("安", 10),
    ("任", 10),
    ("姚", 10),
    ("田", 10),
    ("贾", 10),
    ("丁", 9),
    ("薛", 9),
    ("潘", 9),
    ("杜", 9),
    ("巩", 8),
    ("卢", 8),
    ("蒋", 8),
    ("蔡", 8),
    ("梁", 8),
    ("宋", 8),
    ("郑", 8),
    ("唐", 8),
    ("于", 7),
    ("程", 7),
    ("史", 7),
    ("侯", 7),
    ("孟", 7),
    ("段", 7),
    ("邵", 6),
    ("秦", 6),
    ("石", 6),
    ("姜", 6),
    ("范", 6),
    ("方", 5),
    ("白", 5),
    ("崔", 5),
    ("康", 5),
    ("毛", 5),
    ("令狐", 2),
    ("欧阳", 1),
    ("尹", 5),
    ("常", 5),
    ("武", 5),
    ("乔", 5),
    ("贺", 5),
    ("文", 4),
    ("窦", 4),
    ("庞", 4),
    ("寇", 3),
    ("滕", 3),
];

/// Surnames of Hui (回族) families, weighted.
pub(crate) const HUI_SURNAMES: &[(&str, u32)] = &[
    ("马", 120),
    ("李", 25),
    ("杨", 20),
    ("王", 20),
    ("苏", 15),
    ("穆", 12),
    ("哈", 10),
    ("沙", 10),
    ("丁", 10),
    ("海", 8),
    ("白", 8),
    ("金", 6),
    ("米", 6),
    ("拜", 6),
    ("冶", 5),
    ("安", 6),
    ("虎", 5),
    ("禹", 5),
    ("何", 6),
    ("纳", 4),
    ("蒲", 4),
    ("者", 3),
];

/// Characters of men's given names.
pub(crate) const MALE_CHARS: &[&str] = &[
    "伟", "强", "军", "平", "刚", "勇", "杰", "涛", "明", "斌", "辉", "鹏", "华", "峰", "建", "国",
    "文", "武", "忠", "海", "林", "东", "宏", "志", "永", "俊", "晓", "宁", "亮", "波", "磊", "超",
    "斌", "龙", "飞", "旭", "浩", "宇", "博", "鑫", "凯", "继", "学", "生", "荣", "祥", "福", "成",
    "德", "耀", "振", "兴", "天", "彦", "虎", "锋", "江", "春", "新", "红",
];

/// Characters of women's given names.
pub(crate) const FEMALE_CHARS: &[&str] = &[
    "丽", "芳", "娟", "敏", "静", "燕", "霞", "艳", "玲", "红", "梅", "琴", "英", "慧", "萍", "莉",
    "婷", "雪", "洁", "丹", "琳", "倩", "颖", "佳", "瑞", "晶", "琼", "花", "兰", "秀", "春", "晓",
    "小", "亚", "宁", "雅", "欣", "悦", "楠", "彤", "蓉", "娜", "妮", "菊", "凤",
];

/// Native places outside the city (籍贯) with the division code of their ID numbers.
pub(crate) const OTHER_GANSU: &[(&str, u32)] = &[
    ("甘肃通渭", 621121),
    ("甘肃陇西", 621122),
    ("甘肃庄浪", 620825),
    ("甘肃静宁", 620826),
    ("甘肃礼县", 621226),
    ("甘肃西和", 621225),
    ("甘肃徽县", 621227),
    ("甘肃平凉", 620802),
    ("甘肃兰州", 620102),
    ("甘肃定西", 621102),
    ("甘肃漳县", 621125),
    ("甘肃成县", 621221),
];

/// Native places outside Gansu with a division code.
pub(crate) const OTHER_PROVINCES: &[(&str, u32)] = &[
    ("陕西宝鸡", 610302),
    ("陕西陇县", 610327),
    ("陕西西安", 610102),
    ("四川南充", 511302),
    ("河南洛阳", 410302),
    ("宁夏固原", 640402),
    ("山东菏泽", 371702),
    ("青海西宁", 630102),
];

/// The county-level native place (籍贯) of each region, e.g. 甘肃秦安.
pub(crate) fn native_place_of(code: &str) -> &'static str {
    match code {
        "620502" => "甘肃天水",
        "620503" => "甘肃天水",
        "620521" => "甘肃清水",
        "620522" => "甘肃秦安",
        "620523" => "甘肃甘谷",
        "620524" => "甘肃武山",
        "620525" => "甘肃张家川",
        _ => "甘肃天水",
    }
}

/// Minority ethnicities (besides 回族) seen in small numbers, weighted.
pub(crate) const OTHER_ETHNICITIES: &[(&str, u32)] = &[
    ("藏族", 3),
    ("满族", 3),
    ("蒙古族", 2),
    ("东乡族", 2),
    ("土族", 1),
    ("裕固族", 1),
];

/// Chinese numerals for numbered units (第一 … 第九十九).
pub(crate) fn chinese_number(n: u32) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let (tens, ones) = (n / 10, n % 10);
    let d = |i: u32| DIGITS[(i % 10) as usize];
    match (n, tens, ones) {
        (0..=9, _, _) => d(n).to_owned(),
        (_, 1, 0) => "十".to_owned(),
        (_, 1, o) => format!("十{}", d(o)),
        (_, t, 0) if t < 10 => format!("{}十", d(t)),
        (_, t, o) if t < 10 => format!("{}十{}", d(t), d(o)),
        _ => n.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numerals() {
        assert_eq!(chinese_number(1), "一");
        assert_eq!(chinese_number(10), "十");
        assert_eq!(chinese_number(13), "十三");
        assert_eq!(chinese_number(20), "二十");
        assert_eq!(chinese_number(47), "四十七");
    }

    #[test]
    fn affiliates_name_existing_departments() {
        for aff in AFFS {
            let dept = DEPTS.iter().find(|d| d.key == aff.dept);
            assert!(dept.is_some(), "{}", aff.dept);
            let dept = dept.unwrap_or(&DEPTS[0]);
            if !aff.county.is_empty() {
                assert!(
                    !dept.county.is_empty(),
                    "{} has no county department",
                    aff.county
                );
            }
        }
        let mut keys: Vec<&str> = DEPTS.iter().map(|d| d.key).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), DEPTS.len());
    }
}
