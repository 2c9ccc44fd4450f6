//! Addresses and URLs outside the tenant. Public addresses come from the documentation ranges
//! (RFC 5737: 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24) so demo data never names a real host.

/// The tenant's own Internet egress address (`lastExternalIpAddress`, benign sign-ins).
pub(crate) const CORPORATE_EGRESS: &str = "198.51.100.10";

/// Where an address is, as `geoLocation` carries it.
#[derive(Debug)]
pub(crate) struct Place {
    pub city: &'static str,
    pub state: Option<&'static str>,
    pub country: &'static str,
    pub country_code: &'static str,
    pub latitude: f64,
    pub longitude: f64,
}

/// One external address.
#[derive(Debug)]
pub(crate) struct ExternalIp {
    pub address: &'static str,
    pub place: Place,
    /// Anonymising infrastructure (Tor exit, VPN provider).
    pub anonymous: bool,
}

const fn ip(
    address: &'static str,
    city: &'static str,
    country: &'static str,
    country_code: &'static str,
    (latitude, longitude): (f64, f64),
    anonymous: bool,
) -> ExternalIp {
    ExternalIp {
        address,
        place: Place {
            city,
            state: None,
            country,
            country_code,
            latitude,
            longitude,
        },
        anonymous,
    }
}

/// Hostile or unusual sources, most active first.
pub(crate) const HOSTILE_IPS: &[ExternalIp] = &[
    ip(
        "203.0.113.45",
        "Amsterdam",
        "Netherlands",
        "NL",
        (52.3676, 4.9041),
        false,
    ),
    ip(
        "198.51.100.77",
        "Moscow",
        "Russia",
        "RU",
        (55.7558, 37.6173),
        false,
    ),
    ip(
        "192.0.2.150",
        "Frankfurt am Main",
        "Germany",
        "DE",
        (50.1109, 8.6821),
        true,
    ),
    ip(
        "203.0.113.189",
        "Lagos",
        "Nigeria",
        "NG",
        (6.5244, 3.3792),
        false,
    ),
    ip(
        "198.51.100.203",
        "Sao Paulo",
        "Brazil",
        "BR",
        (-23.5505, -46.6333),
        false,
    ),
    ip(
        "192.0.2.33",
        "Bucharest",
        "Romania",
        "RO",
        (44.4268, 26.1025),
        true,
    ),
    ip(
        "203.0.113.9",
        "Hanoi",
        "Vietnam",
        "VN",
        (21.0278, 105.8342),
        false,
    ),
    ip(
        "198.51.100.140",
        "Beijing",
        "China",
        "CN",
        (39.9042, 116.4074),
        false,
    ),
    ip(
        "192.0.2.211",
        "Singapore",
        "Singapore",
        "SG",
        (1.3521, 103.8198),
        true,
    ),
    ip(
        "203.0.113.120",
        "Kyiv",
        "Ukraine",
        "UA",
        (50.4501, 30.5234),
        false,
    ),
    ip(
        "198.51.100.58",
        "Tehran",
        "Iran",
        "IR",
        (35.6892, 51.3890),
        false,
    ),
    ip(
        "192.0.2.98",
        "Ashburn",
        "United States",
        "US",
        (39.0438, -77.4874),
        true,
    ),
];

/// Where employees normally sign in from.
pub(crate) const HOME: Place = Place {
    city: "Redmond",
    state: Some("Washington"),
    country: "United States",
    country_code: "US",
    latitude: 47.6740,
    longitude: -122.1215,
};

/// Command-and-control and malware-hosting domains.
pub(crate) const C2_DOMAINS: &[&str] = &[
    "cdn-telemetry-sync.com",
    "update.msoffice-cloudfiles.net",
    "api.weatherwidget-stats.com",
    "static.fontcache-delivery.net",
    "img.contoso-hr-portal.com",
];

/// Phishing landing pages, most used first.
pub(crate) const PHISHING_URLS: &[&str] = &[
    "https://contoso-sso.login-verify.net/owa/auth/logon.aspx",
    "https://sharepoint-contoso.docs-review.com/sites/finance/INV-20931.html",
    "https://payroll-contoso.hr-update.net/benefits/2025/enroll",
    "https://secure-docusign.envelope-review.com/signing/4f1c2a",
    "https://m365-contoso.mfa-reset.com/verify?user=",
    "https://dhl-parcel.tracking-notice.net/track/9921834",
];

/// Malware download URLs (payload stages).
pub(crate) const PAYLOAD_URLS: &[&str] = &[
    "http://cdn-telemetry-sync.com/dl/update.bin",
    "http://static.fontcache-delivery.net/fonts/segoe.woff.exe",
    "https://update.msoffice-cloudfiles.net/office/KB5031455.msi",
    "http://img.contoso-hr-portal.com/images/logo.png.ps1",
];
