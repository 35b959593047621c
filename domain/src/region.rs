//! 行政区划 and 编办: Tianshui and its seven counties/districts, with the city and county bureaus.

labelled_enum! {
    /// An administrative division (行政区划) served by the deployment.
    pub enum Region {
        Tianshui => "tianshui", "天水市", "Tianshui City";
        Qinzhou => "qinzhou", "秦州区", "Qinzhou District";
        Maiji => "maiji", "麦积区", "Maiji District";
        Qingshui => "qingshui", "清水县", "Qingshui County";
        QinAn => "qin_an", "秦安县", "Qin'an County";
        Gangu => "gangu", "甘谷县", "Gangu County";
        Wushan => "wushan", "武山县", "Wushan County";
        Zhangjiachuan => "zhangjiachuan", "张家川回族自治县", "Zhangjiachuan Hui Autonomous County";
    }
}

impl Region {
    /// The six-digit division code (GB/T 2260).
    pub fn division_code(self) -> &'static str {
        match self {
            Region::Tianshui => "620500",
            Region::Qinzhou => "620502",
            Region::Maiji => "620503",
            Region::Qingshui => "620521",
            Region::QinAn => "620522",
            Region::Gangu => "620523",
            Region::Wushan => "620524",
            Region::Zhangjiachuan => "620525",
        }
    }

    /// The region with this division code.
    pub fn from_division_code(code: &str) -> Option<Region> {
        Region::ALL
            .iter()
            .copied()
            .find(|r| r.division_code() == code)
    }

    /// The enclosing region (`None` for the city itself).
    pub fn parent(self) -> Option<Region> {
        match self {
            Region::Tianshui => None,
            _ => Some(Region::Tianshui),
        }
    }

    /// The seven counties and districts.
    pub fn counties() -> impl Iterator<Item = Region> {
        Region::ALL.iter().copied().filter(|r| r.parent().is_some())
    }

    /// Whether `other` is this region or lies inside it.
    pub fn contains(self, other: Region) -> bool {
        self == other || other.parent() == Some(self)
    }

    /// The staffing bureau of this region.
    pub fn bureau(self) -> Bureau {
        Bureau(self)
    }
}

/// A staffing bureau (编办): the city bureau (市编办) sees the whole city, each county/district
/// bureau (县区编办) the units of its own region.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(transparent)]
pub struct Bureau(Region);

impl Bureau {
    /// The city bureau.
    pub const CITY: Bureau = Bureau(Region::Tianshui);

    /// The region it serves.
    pub fn region(self) -> Region {
        self.0
    }

    /// Whether it is the city bureau.
    pub fn is_city(self) -> bool {
        self.0.parent().is_none()
    }

    /// Whether a unit of `region` is in this bureau's scope.
    pub fn covers(self, region: Region) -> bool {
        self.0.contains(region)
    }

    /// e.g. `天水市机构编制委员会办公室`, `秦州区机构编制委员会办公室`.
    pub fn name_zh(self) -> String {
        format!("{}机构编制委员会办公室", self.0.label_zh())
    }

    /// The short name used in document prefixes: 天 for the city, the county or district name
    /// without its suffix otherwise (秦州, 麦积, 清水, 秦安, 甘谷, 武山, 张家川). Distinct per bureau,
    /// so numbers of different bureaus never collide.
    pub fn short_zh(self) -> &'static str {
        match self.0 {
            Region::Tianshui => "天",
            Region::Qinzhou => "秦州",
            Region::Maiji => "麦积",
            Region::Qingshui => "清水",
            Region::QinAn => "秦安",
            Region::Gangu => "甘谷",
            Region::Wushan => "武山",
            Region::Zhangjiachuan => "张家川",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_from_domain_md() {
        let codes: Vec<&str> = Region::ALL.iter().map(|r| r.division_code()).collect();
        assert_eq!(
            codes,
            [
                "620500", "620502", "620503", "620521", "620522", "620523", "620524", "620525"
            ]
        );
        assert_eq!(
            Region::from_division_code("620525"),
            Some(Region::Zhangjiachuan)
        );
        assert_eq!(Region::counties().count(), 7);
    }

    #[test]
    fn bureau_scopes() {
        assert!(Bureau::CITY.covers(Region::Gangu));
        assert!(Region::Gangu.bureau().covers(Region::Gangu));
        assert!(!Region::Gangu.bureau().covers(Region::Wushan));
        assert!(!Region::Gangu.bureau().covers(Region::Tianshui));
        assert_eq!(
            Region::Qinzhou.bureau().name_zh(),
            "秦州区机构编制委员会办公室"
        );
        assert_eq!(
            serde_json::to_string(&Bureau::CITY).unwrap(),
            "\"tianshui\""
        );
        assert_eq!(serde_json::to_string(&Region::QinAn).unwrap(), "\"qin_an\"");
        let shorts: std::collections::BTreeSet<&str> =
            Region::ALL.iter().map(|r| r.bureau().short_zh()).collect();
        assert_eq!(shorts.len(), Region::ALL.len());
    }
}
