//! The observable properties of a tiIndicator, in Graph's three groups (e-mail, file, network),
//! each group flattened into the indicator's JSON. Every property is `null` when absent.
//!
//! Values that name something matchable are checked when set (an IPv4 field must hold an IPv4
//! address, a CIDR field a block, `domainName` a host name, `url` a URL, the e-mail fields an
//! addr-spec) and stored trimmed but otherwise as the client sent them, so a GET shows what was
//! submitted; their normal forms come from [`super::TiIndicatorBody::observables`].
//! `fileHashValue` is checked against `fileHashType` once the whole body is read.

use super::enums::{FileHashType, FILE_HASH_TYPE_ALIASES};
use super::error::InputError;
use super::normalization::{
    normalize_domain, normalize_email, normalize_url, parse_cidr, parse_ip,
};
use super::value::{asn, date_time, integer, member, string};
use crate::datetime;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::net::IpAddr;
use time::OffsetDateTime;

/// E-mail observables.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EmailObservables {
    #[serde(default)]
    pub email_encoding: Option<String>,
    #[serde(default)]
    pub email_language: Option<String>,
    /// An addr-spec.
    #[serde(default)]
    pub email_recipient: Option<String>,
    /// An addr-spec.
    #[serde(default)]
    pub email_sender_address: Option<String>,
    #[serde(default)]
    pub email_sender_name: Option<String>,
    /// A host name.
    #[serde(default)]
    pub email_source_domain: Option<String>,
    /// An IPv4 or IPv6 address.
    #[serde(default)]
    pub email_source_ip_address: Option<String>,
    #[serde(default)]
    pub email_subject: Option<String>,
    #[serde(default)]
    pub email_x_mailer: Option<String>,
}

/// File observables.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileObservables {
    #[serde(default, with = "datetime::optional")]
    pub file_compile_date_time: Option<OffsetDateTime>,
    #[serde(default, with = "datetime::optional")]
    pub file_created_date_time: Option<OffsetDateTime>,
    #[serde(default)]
    pub file_hash_type: Option<FileHashType>,
    /// Checked against `fileHashType` (see [`super::normalization::normalize_hash`]).
    #[serde(default)]
    pub file_hash_value: Option<String>,
    #[serde(default)]
    pub file_mutex_name: Option<String>,
    /// A file name, or a comma-separated list of them.
    #[serde(default)]
    pub file_name: Option<String>,
    #[serde(default)]
    pub file_packer: Option<String>,
    #[serde(default)]
    pub file_path: Option<String>,
    #[serde(default)]
    pub file_size: Option<i64>,
    #[serde(default)]
    pub file_type: Option<String>,
}

/// Network observables.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NetworkObservables {
    /// A host name.
    #[serde(default)]
    pub domain_name: Option<String>,
    #[serde(default)]
    pub network_cidr_block: Option<String>,
    #[serde(default)]
    pub network_destination_asn: Option<i64>,
    #[serde(default)]
    pub network_destination_cidr_block: Option<String>,
    #[serde(default, rename = "networkDestinationIPv4")]
    pub network_destination_ipv4: Option<String>,
    #[serde(default, rename = "networkDestinationIPv6")]
    pub network_destination_ipv6: Option<String>,
    #[serde(default)]
    pub network_destination_port: Option<i32>,
    #[serde(default, rename = "networkIPv4")]
    pub network_ipv4: Option<String>,
    #[serde(default, rename = "networkIPv6")]
    pub network_ipv6: Option<String>,
    #[serde(default)]
    pub network_port: Option<i32>,
    /// The IP protocol number (0–255).
    #[serde(default)]
    pub network_protocol: Option<i32>,
    #[serde(default)]
    pub network_source_asn: Option<i64>,
    #[serde(default)]
    pub network_source_cidr_block: Option<String>,
    #[serde(default, rename = "networkSourceIPv4")]
    pub network_source_ipv4: Option<String>,
    #[serde(default, rename = "networkSourceIPv6")]
    pub network_source_ipv6: Option<String>,
    #[serde(default)]
    pub network_source_port: Option<i32>,
    /// An absolute `http`, `https` or `ftp` URL.
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub user_agent: Option<String>,
}

/// Which address family a field holds.
#[derive(Clone, Copy)]
enum Family {
    V4,
    V6,
    Any,
}

/// A string checked by `check`, stored trimmed.
fn checked(
    name: &str,
    v: &Value,
    what: &str,
    check: impl Fn(&str) -> Result<(), String>,
) -> Result<Option<String>, InputError> {
    let Some(s) = string(name, v)? else {
        return Ok(None);
    };
    let t = s.trim();
    check(t).map_err(|e| {
        InputError::invalid(name, format!("Property '{name}' must be {what}: {e}."))
    })?;
    Ok(Some(t.to_string()))
}

fn address(name: &str, v: &Value, family: Family) -> Result<Option<String>, InputError> {
    let what = match family {
        Family::V4 => "an IPv4 address",
        Family::V6 => "an IPv6 address",
        Family::Any => "an IPv4 or IPv6 address",
    };
    checked(name, v, what, |s| {
        let ip = s.trim_matches(['[', ']']).parse::<IpAddr>();
        match (family, ip) {
            (Family::V4, Ok(IpAddr::V6(_))) => Err(format!(
                "'{s}' is an IPv6 address; send it in {}",
                name.replace("IPv4", "IPv6")
            )),
            (Family::V6, Ok(IpAddr::V4(_))) => Err(format!(
                "'{s}' is an IPv4 address; send it in {}",
                name.replace("IPv6", "IPv4")
            )),
            _ => parse_ip(s).map(|_| ()),
        }
    })
}

fn cidr(name: &str, v: &Value) -> Result<Option<String>, InputError> {
    checked(name, v, "a CIDR block", |s| parse_cidr(s).map(|_| ()))
}

fn port(name: &str, v: &Value) -> Result<Option<i32>, InputError> {
    Ok(integer(name, v, 0, 65_535)?.map(|n| n as i32))
}

impl EmailObservables {
    /// Sets property `name` if it is one of this group's; `None` when it is not.
    pub(crate) fn set(&mut self, name: &str, v: &Value) -> Option<Result<(), InputError>> {
        let email = |v| {
            checked(name, v, "an e-mail address", |s| {
                normalize_email(s).map(|_| ())
            })
        };
        let slot = match name {
            "emailEncoding" => &mut self.email_encoding,
            "emailLanguage" => &mut self.email_language,
            "emailSenderName" => &mut self.email_sender_name,
            "emailSubject" => &mut self.email_subject,
            "emailXMailer" => &mut self.email_x_mailer,
            "emailRecipient" => return Some(email(v).map(|s| self.email_recipient = s)),
            "emailSenderAddress" => return Some(email(v).map(|s| self.email_sender_address = s)),
            "emailSourceDomain" => {
                let d = checked(name, v, "a domain name", |s| {
                    normalize_domain(s).map(|_| ())
                });
                return Some(d.map(|s| self.email_source_domain = s));
            }
            "emailSourceIpAddress" => {
                let a = address(name, v, Family::Any);
                return Some(a.map(|s| self.email_source_ip_address = s));
            }
            _ => return None,
        };
        Some(string(name, v).map(|s| *slot = s))
    }

    /// True when any e-mail observable is set.
    pub fn has_any(&self) -> bool {
        *self != EmailObservables::default()
    }
}

impl FileObservables {
    /// Sets property `name` if it is one of this group's; `None` when it is not.
    pub(crate) fn set(&mut self, name: &str, v: &Value) -> Option<Result<(), InputError>> {
        let slot = match name {
            "fileHashValue" => &mut self.file_hash_value,
            "fileMutexName" => &mut self.file_mutex_name,
            "fileName" => &mut self.file_name,
            "filePacker" => &mut self.file_packer,
            "filePath" => &mut self.file_path,
            "fileType" => &mut self.file_type,
            "fileCompileDateTime" => {
                return Some(date_time(name, v).map(|d| self.file_compile_date_time = d))
            }
            "fileCreatedDateTime" => {
                return Some(date_time(name, v).map(|d| self.file_created_date_time = d))
            }
            "fileHashType" => {
                let t = member(name, v, FILE_HASH_TYPE_ALIASES);
                return Some(t.map(|t| self.file_hash_type = t));
            }
            "fileSize" => return Some(integer(name, v, 0, i64::MAX).map(|n| self.file_size = n)),
            _ => return None,
        };
        let trim = name == "fileHashValue";
        Some(
            string(name, v).map(|s| *slot = s.map(|s| if trim { s.trim().to_string() } else { s })),
        )
    }

    /// True when a file observable is set (`fileHashType` alone qualifies nothing, so it does not count).
    pub fn has_any(&self) -> bool {
        let f = FileObservables {
            file_hash_type: None,
            ..self.clone()
        };
        f != FileObservables::default()
    }
}

impl NetworkObservables {
    /// Sets property `name` if it is one of this group's; `None` when it is not.
    pub(crate) fn set(&mut self, name: &str, v: &Value) -> Option<Result<(), InputError>> {
        let n = self;
        let r = match name {
            "domainName" => checked(name, v, "a domain name", |s| {
                normalize_domain(s).map(|_| ())
            })
            .map(|s| n.domain_name = s),
            "url" => checked(name, v, "a URL", |s| normalize_url(s).map(|_| ())).map(|s| n.url = s),
            "userAgent" => string(name, v).map(|s| n.user_agent = s),
            "networkCidrBlock" => cidr(name, v).map(|s| n.network_cidr_block = s),
            "networkDestinationCidrBlock" => {
                cidr(name, v).map(|s| n.network_destination_cidr_block = s)
            }
            "networkSourceCidrBlock" => cidr(name, v).map(|s| n.network_source_cidr_block = s),
            "networkIPv4" => address(name, v, Family::V4).map(|s| n.network_ipv4 = s),
            "networkIPv6" => address(name, v, Family::V6).map(|s| n.network_ipv6 = s),
            "networkDestinationIPv4" => {
                address(name, v, Family::V4).map(|s| n.network_destination_ipv4 = s)
            }
            "networkDestinationIPv6" => {
                address(name, v, Family::V6).map(|s| n.network_destination_ipv6 = s)
            }
            "networkSourceIPv4" => address(name, v, Family::V4).map(|s| n.network_source_ipv4 = s),
            "networkSourceIPv6" => address(name, v, Family::V6).map(|s| n.network_source_ipv6 = s),
            "networkPort" => port(name, v).map(|p| n.network_port = p),
            "networkDestinationPort" => port(name, v).map(|p| n.network_destination_port = p),
            "networkSourcePort" => port(name, v).map(|p| n.network_source_port = p),
            "networkProtocol" => {
                integer(name, v, 0, 255).map(|p| n.network_protocol = p.map(|p| p as i32))
            }
            "networkDestinationAsn" => asn(name, v).map(|a| n.network_destination_asn = a),
            "networkSourceAsn" => asn(name, v).map(|a| n.network_source_asn = a),
            _ => return None,
        };
        Some(r)
    }

    /// True when any network observable is set.
    pub fn has_any(&self) -> bool {
        *self != NetworkObservables::default()
    }
}
