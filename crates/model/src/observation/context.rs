//! [`EventContext`]: what an alert's evidence and description can say about the event beyond the
//! matched value (host, user, ports, process, file, subject, product, severity, title).

use super::fields::{Field, Fields, Leaf};
use super::values::Values;

/// Context for alert evidence; every part is optional and kept as the event wrote it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventContext {
    /// The device that saw or reported the event (`host.name`, OCSF `device.hostname`, Wazuh
    /// `agent.name`, Suricata `host`).
    pub host_name: Option<String>,
    /// The user the event is about.
    pub user_name: Option<String>,
    /// The source port.
    pub source_port: Option<u16>,
    /// The destination port.
    pub destination_port: Option<u16>,
    /// The process name (or the file name of its executable).
    pub process_name: Option<String>,
    /// The file name (the last segment of the path when only a path is given).
    pub file_name: Option<String>,
    /// The file path.
    pub file_path: Option<String>,
    /// The e-mail subject.
    pub email_subject: Option<String>,
    /// The product that produced the event (`Suricata`, `Wazuh`, `observer.product`, …).
    pub product: Option<String>,
    /// The event's own severity as it wrote it (Suricata `alert.severity` `1`–`3`, Wazuh
    /// `rule.level` `0`–`15`, OCSF `severity`, ECS `event.severity`); not mapped to Graph's scale.
    pub severity: Option<String>,
    /// The detection's name, when the event is itself an alert (Suricata `alert.signature`, Wazuh
    /// `rule.description`, ECS `rule.name`, OCSF `finding_info.title`).
    pub title: Option<String>,
}

/// Reads the context; `product` is decided by the shape. Ports that are not 0–65535 are counted
/// in `values.skipped`.
pub(crate) fn read(f: &Fields<'_>, product: Option<String>, values: &mut Values) -> EventContext {
    let text = |fields: &[Field]| f.first_of(fields).map(|l| l.text().trim().to_string());
    let path = text(&[Field::FilePath, Field::TransferFilename]);
    EventContext {
        host_name: text(&[
            Field::HostName,
            Field::HostNameFallback,
            Field::AgentName,
            Field::SourceHostname,
        ]),
        user_name: text(&[Field::UserName, Field::UserFallback]),
        source_port: port(f, Field::SourcePort, "source port", values),
        destination_port: port(f, Field::DestinationPort, "destination port", values),
        process_name: text(&[Field::ProcessName]).or_else(|| {
            f.first(Field::ProcessExecutable)
                .and_then(|l| last_segment(&l.text()))
        }),
        file_name: text(&[Field::FileName]).or_else(|| path.as_deref().and_then(last_segment)),
        file_path: path,
        email_subject: text(&[Field::EmailSubject]),
        product,
        severity: text(&[
            Field::AlertSeverity,
            Field::RuleLevel,
            Field::SeverityLabel,
            Field::SeverityId,
            Field::EventSeverity,
        ]),
        title: text(&[
            Field::AlertSignature,
            Field::FindingTitle,
            Field::RuleName,
            Field::RuleDescription,
        ]),
    }
}

/// The first value of a port field: a number or a numeric string, 0–65535.
fn port(f: &Fields<'_>, field: Field, what: &str, values: &mut Values) -> Option<u16> {
    let leaf = f.first(field)?;
    let n = match leaf {
        Leaf::Int(n) => u16::try_from(*n).ok(),
        Leaf::UInt(n) => u16::try_from(*n).ok(),
        Leaf::Float(x) if x.fract() == 0.0 && (0.0..=65535.0).contains(x) => Some(*x as u16),
        Leaf::Str(s) => s.trim().parse::<u16>().ok(),
        _ => None,
    };
    if n.is_none() {
        values.skip(
            what,
            format!("'{}' is not a port number (0 to 65535)", leaf.text()),
        );
    }
    n
}

/// The last segment of a `/` or `\` path; `None` when it is empty.
fn last_segment(path: &str) -> Option<String> {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path).trim();
    (!name.is_empty()).then(|| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_segments_of_unix_and_windows_paths() {
        assert_eq!(last_segment("/usr/bin/ps").as_deref(), Some("ps"));
        assert_eq!(
            last_segment(r"C:\Windows\cmd.exe").as_deref(),
            Some("cmd.exe")
        );
        assert_eq!(last_segment("name").as_deref(), Some("name"));
        assert_eq!(last_segment("/"), None);
    }
}
