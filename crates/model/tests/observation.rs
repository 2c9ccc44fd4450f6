//! Observations: every line of the real Suricata and Wazuh samples is read (or refused for the
//! documented reason), hand-written ECS, OCSF and native events give exactly the values their
//! fields name, and the edge cases of addresses, names, URLs, hashes, e-mail and times hold.
//! The ECS and OCSF events are written from the public specifications (see
//! `fixtures/observation/NOTICE.md`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use model::observation::*;
use serde_json::{json, Value};
use std::path::PathBuf;
use time::OffsetDateTime;

fn now() -> OffsetDateTime {
    model::datetime::parse("2025-01-02T03:04:05Z").unwrap()
}

/// The fixture files, then the Elastic-licensed Suricata samples when the shared set is present.
fn sample_files() -> Vec<PathBuf> {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<PathBuf> = std::fs::read_dir(manifest.join("tests/fixtures/observation"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "ndjson"))
        .collect();
    files.sort();
    for name in [
        "eve-alert-metadata-flow-tcpflags_elastic.ndjson",
        "eve-dns-v1-and-v2-answers-subset_elastic.ndjson",
        "eve-mixed-ssh-alert-http-fileinfo-dns-stats-tls-flow_elastic.ndjson",
    ] {
        let path = manifest.join("../../../shared/data/suricata").join(name);
        if path.exists() {
            files.push(path);
        } else {
            eprintln!("skipped: {} not present", path.display());
        }
    }
    files
}

fn lines(path: &PathBuf) -> Vec<Vec<u8>> {
    let bytes = std::fs::read(path).unwrap();
    bytes
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .map(<[u8]>::to_vec)
        .collect()
}

/// Line `n` (from 1) of a sample file, by a part of its name.
fn sample(name: &str, n: usize) -> Option<Vec<u8>> {
    let path = sample_files()
        .into_iter()
        .find(|p| p.to_string_lossy().contains(name))?;
    Some(lines(&path).swap_remove(n - 1))
}

fn line(name: &str, n: usize) -> Observation {
    parse_ndjson_line(&sample(name, n).unwrap(), now()).unwrap()
}

/// The values as `role value` strings (hashes as `fileHash:md5 …`), in order.
fn values(o: &Observation) -> Vec<String> {
    use model::indicator::ObservableValue as V;
    o.values
        .iter()
        .map(|v| {
            let role = match v.role {
                ObservationRole::FileHash(t) => format!("fileHash:{t}"),
                r => r.to_string(),
            };
            let text = match &v.value {
                V::Ip(ip) => ip.to_string(),
                V::Cidr(ip, p) => format!("{ip}/{p}"),
                V::Domain(s) | V::Url(s) | V::Hash(_, s) | V::Email(s) => s.clone(),
            };
            format!("{role} {text}")
        })
        .collect()
}

/// A hand-written event of `fixtures/observation/handwritten-events.json`, read both ways.
fn event(name: &str) -> Observation {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/observation/handwritten-events.json");
    let all: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let v = &all[name];
    assert!(v.is_object(), "no event '{name}'");
    let from_value = parse_observation(v, now()).unwrap();
    let from_bytes = parse_ndjson_line(v.to_string().as_bytes(), now()).unwrap();
    assert_eq!(from_value, from_bytes, "{v}");
    from_value
}

fn utc(t: OffsetDateTime) -> String {
    model::datetime::format(t)
}

#[test]
fn every_sample_line_parses_or_has_nothing_to_match() {
    let mut read = 0;
    let mut refused = Vec::new();
    for path in sample_files() {
        let file = path.file_name().unwrap().to_string_lossy().to_string();
        for (i, l) in lines(&path).iter().enumerate() {
            let from_bytes = parse_ndjson_line(l, now());
            let value: Value = serde_json::from_slice(l).unwrap();
            assert_eq!(
                from_bytes,
                parse_observation(&value, now()),
                "{file}:{}",
                i + 1
            );
            match from_bytes {
                Ok(o) => {
                    assert!(!o.values.is_empty());
                    read += 1;
                }
                Err(e) => {
                    assert_eq!(e.kind, ObservationErrorKind::NothingMatchable, "{file}");
                    refused.push(format!("{}:{}", &file[..file.find('_').unwrap()], i + 1));
                }
            }
        }
    }
    let mut want = vec![
        "alerts-logstash-wrapped-vulndetector-sshd-pam:3", // PAM, no address
        "alerts-logstash-wrapped-vulndetector-sshd-pam:4",
        "eve-alerts-flow-stats:4", // stats
        "eve-alerts-flow-stats:7",
    ];
    let elastic = sample_files().len() > 5;
    if elastic {
        want.push("eve-mixed-ssh-alert-http-fileinfo-dns-stats-tls-flow:6");
    }
    assert_eq!(refused, want);
    assert_eq!(read, if elastic { 24 + 21 } else { 24 });
}

#[test]
fn suricata_fileinfo_gives_addresses_host_url_and_three_hashes() {
    let o = line("tenzir-vast", 3);
    assert_eq!(
        values(&o),
        [
            "sourceIp 74.207.254.18",
            "destinationIp 147.32.84.165",
            "domain www.nmap.org",
            "url http://www.nmap.org/",
            "fileHash:md5 70041821acf87389e40ddcb092004184",
            "fileHash:sha1 10395ab3566395ca050232d2c1a0dbad69eb5fd2",
            "fileHash:sha256 2e4c462b3424afcc04f43429d5f001e4ef9a28143bfeefb9af2254b4df3a7c1a",
        ]
    );
    assert_eq!(
        (o.kind, o.format, o.skipped),
        (ObservationKind::File, EventFormat::Suricata, 0)
    );
    assert_eq!(utc(o.time), "2011-08-12T14:59:22.1810500Z");
    assert_eq!(o.context.file_path.as_deref(), Some("/"));
    assert_eq!(
        (o.context.source_port, o.context.destination_port),
        (Some(80), Some(1046))
    );
    let dns = line("tenzir-vast", 2);
    assert_eq!(dns.kind, ObservationKind::Dns);
    assert_eq!(values(&dns)[2], "domain irc.freenode.net");
    let http = line("tenzir-vast", 5);
    assert!(values(&http)[3].starts_with(
        "url http://cr-tools.clients.google.com/service/check2?appid=%7B430FD4D0-B729"
    ));
}

#[test]
fn suricata_alerts_carry_signature_severity_and_http_host_address() {
    let o = line("eve-alerts-flow-stats", 5);
    assert_eq!(
        values(&o),
        [
            "sourceIp 1.2.3.7",
            "destinationIp 127.0.0.1",
            "destinationIp 34.245.178.108",
            // WHATWG resolves the %2e dot segments, as for URL indicators.
            "url http://34.245.178.108/bin/sh",
        ]
    );
    assert_eq!(o.kind, ObservationKind::Http);
    assert_eq!(o.context.severity.as_deref(), Some("1"));
    assert_eq!(
        o.context.title.as_deref(),
        Some("ET EXPLOIT Apache HTTP Server 2.4.49 - Path Traversal Attempt (CVE-2021-41773) M2")
    );
    assert_eq!(o.context.file_name.as_deref(), Some("sh"));
    assert_eq!(o.context.product.as_deref(), Some("Suricata"));
    assert_eq!(utc(o.time), "2022-07-11T06:09:52.6024890Z");
    let sip = line("eve-alerts-http", 2);
    assert_eq!(values(&sip), ["sourceIp 2.2.3.4", "destinationIp 2.2.3.5"]);
    assert_eq!(sip.kind, ObservationKind::Network);
    let stats = parse_ndjson_line(&sample("eve-alerts-flow-stats", 4).unwrap(), now());
    assert_eq!(
        stats.unwrap_err().message,
        "no IP, domain, URL, hash or e-mail address found in the event (read as Suricata EVE, \
         event_type 'stats')"
    );
}

#[test]
fn suricata_dns_answers_v1_and_v2_and_elastic_lines() {
    let Some(v2) = sample("dns-v1-and-v2", 3) else {
        return eprintln!("skipped: Elastic samples not present");
    };
    let o = parse_ndjson_line(&v2, now()).unwrap();
    assert_eq!(
        values(&o),
        [
            "sourceIp 10.0.2.3",
            "destinationIp 10.0.2.15",
            "domain www.elastic.co",
            "destinationIp 175.16.199.1",
            "domain dualstack.r2.shared.global.fastly.net",
        ]
    );
    let v1_cname = values(&line("dns-v1-and-v2", 5));
    assert_eq!(
        &v1_cname[2..],
        [
            "domain www.yahoo.com",
            "domain atsv2-fp-shed.wg1.b.yahoo.com"
        ]
    );
    let v1_a = values(&line("dns-v1-and-v2", 6));
    assert_eq!(v1_a[3], "destinationIp 175.16.199.1");
    let expanded = values(&line("dns-v1-and-v2", 7));
    assert_eq!(expanded.len(), 7);
    assert_eq!(expanded[5], "destinationIp 2a02:cf40:200::729");
    let mixed = "mixed-ssh-alert";
    assert_eq!(values(&line(mixed, 7))[2], "domain p33-btmmdns.icloud.com"); // SNI with a trailing dot
    assert_eq!(
        values(&line(mixed, 8)),
        [
            "sourceIp fe80::fada:cff:fedc:87f1",
            "destinationIp ff02::1:2"
        ]
    );
    assert_eq!(
        values(&line(mixed, 11))[2],
        "url http://192.168.50.1:8081/uuid"
    );
    let proxy = values(&line(mixed, 9));
    assert_eq!(proxy[3], "url http://ctldl.windowsupdate.com/msdownload/update/v3/static/trustedr/en/pinrulesstl.cab?111111111111");
    assert_eq!(line(mixed, 2).kind, ObservationKind::Network); // alert over TLS
    assert_eq!(utc(line(mixed, 1).time), "2018-07-05T19:01:09.8203600Z");
}

#[test]
fn wazuh_alerts_in_and_out_of_the_logstash_wrapper() {
    let o = line("logstash-wrapped", 2);
    assert_eq!(values(&o), ["sourceIp 192.168.83.175"]);
    assert_eq!(
        (o.format, o.kind),
        (EventFormat::Wazuh, ObservationKind::Network)
    );
    assert_eq!(o.id.as_deref(), Some("1708024054.185097"));
    assert_eq!(utc(o.time), "2024-02-15T19:07:34.6060000Z"); // the alert's, not Logstash's
    let c = &o.context;
    assert_eq!(
        (c.host_name.as_deref(), c.user_name.as_deref()),
        (Some("ubuntu2204"), Some("root"))
    );
    assert_eq!(
        (c.source_port, c.severity.as_deref()),
        (Some(46980), Some("3"))
    );
    assert_eq!(c.title.as_deref(), Some("sshd: authentication success."));
    assert_eq!(values(&line("logstash-wrapped", 1)), ["hostIp 127.0.0.1"]);
    let pam = parse_ndjson_line(&sample("logstash-wrapped", 3).unwrap(), now()).unwrap_err();
    assert!(pam
        .message
        .contains("(read as Wazuh alert 'PAM: Login session opened.')"));
    let fim = line("template-syscheck", 1);
    assert_eq!(values(&fim), ["hostIp 47.204.15.21"]);
    assert_eq!(
        (fim.kind, fim.skipped, fim.time),
        (ObservationKind::File, 1, now())
    ); // "{timestamp}"
    assert_eq!(fim.context.file_path.as_deref(), Some("/var/log/lastlog"));
    assert_eq!(fim.context.user_name.as_deref(), Some("root"));
}

#[test]
fn wazuh_file_integrity_hashes() {
    let o = event("wazuh_fim");
    assert_eq!(
        values(&o),
        [
            "sourceIp 203.0.113.9",
            "fileHash:md5 d41d8cd98f00b204e9800998ecf8427e",
            "fileHash:sha1 da39a3ee5e6b4b0d3255bfef95601890afd80709",
        ]
    );
    assert_eq!((o.kind, o.skipped), (ObservationKind::File, 1)); // the short sha256
    assert_eq!(o.context.user_name.as_deref(), Some("bob"));
    assert_eq!(o.context.file_name.as_deref(), Some("ps"));
}

#[test]
fn wazuh_alert_carrying_a_suricata_record_stays_wazuh() {
    // The layout of Wazuh's Suricata integration (JSON decoder; numbers become strings).
    let o = event("wazuh_suricata");
    assert_eq!(
        values(&o),
        [
            "sourceIp 10.0.0.5",
            "destinationIp 203.0.113.70",
            "domain l2.io"
        ]
    );
    assert_eq!(
        (o.format, o.kind),
        (EventFormat::Wazuh, ObservationKind::Network)
    );
    let c = &o.context;
    assert_eq!(
        (c.source_port, c.destination_port),
        (Some(55641), Some(443))
    );
    assert_eq!(
        (c.host_name.as_deref(), c.severity.as_deref()),
        (Some("sensor-1"), Some("1"))
    );
    assert_eq!(
        c.title.as_deref(),
        Some("ET POLICY Observed IP Lookup Domain (l2 .io in TLS SNI)")
    );
}

#[test]
fn ecs_nested_dns_event() {
    // ECS 8.x `dns` fields as Packetbeat/Zeek integrations write them.
    let o = event("ecs_dns");
    assert_eq!(
        values(&o),
        [
            "sourceIp 10.0.0.5",
            "destinationIp 10.0.0.1",
            "domain evil.example",
            "destinationIp 198.51.100.7",
            "hostIp 10.0.0.1",
            "hostIp fe80::1",
            "domain cdn.evil.example",
            "relatedIp 192.0.2.99",
        ]
    );
    assert_eq!(
        (o.format, o.kind, o.skipped),
        (EventFormat::Ecs, ObservationKind::Dns, 0)
    );
    assert_eq!(o.id.as_deref(), Some("CxWv3B"));
    assert_eq!(utc(o.time), "2024-05-01T10:00:00.1230000Z");
    assert_eq!(o.context.product.as_deref(), Some("zeek"));
}

#[test]
fn ecs_flattened_keys_and_mixtures_read_like_nested_ones() {
    let o = event("ecs_flattened");
    assert_eq!(
        values(&o),
        [
            "sourceIp 2001:db8::5",
            "destinationIp 203.0.113.7",
            "domain files.example.com",
            "url http://files.example.com:8080/Download/a.exe?x=1",
            "fileHash:md5 44d88612fea8a8f36de82e1278abb02f",
        ]
    );
    assert_eq!((o.kind, o.skipped), (ObservationKind::Http, 1));
    let c = &o.context;
    assert_eq!(
        (c.destination_port, c.process_name.as_deref()),
        (Some(8080), Some("curl.exe"))
    );
    assert_eq!(
        (c.user_name.as_deref(), c.host_name.as_deref()),
        (Some("alice"), Some("proxy-1"))
    );
    assert_eq!(c.product.as_deref(), Some("Squid"));
}

#[test]
fn ecs_email_file_and_tls_events() {
    let mail = event("ecs_email");
    assert_eq!(
        values(&mail),
        [
            "emailSender ceo@example.com",
            "emailRecipient a@corp.example",
            "emailRecipient b@corp.example",
            "emailRecipient c@corp.example"
        ]
    );
    assert_eq!(
        (mail.kind, mail.context.email_subject.as_deref()),
        (ObservationKind::Email, Some("Invoice"))
    );
    let file = event("ecs_file");
    assert_eq!(
        values(&file),
        [
            "fileHash:sha256 275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f",
            "fileHash:ctph 3:AXGBicFlgVNhBGcL6wCrFQEv:AXGHsNhxLsr2C"
        ]
    );
    assert_eq!(
        (file.kind, file.context.file_name.as_deref()),
        (ObservationKind::File, Some("a.exe"))
    );
    let tls = event("ecs_tls");
    assert_eq!(
        values(&tls),
        ["domain xn--bcher-kva.example", "destinationIp 198.51.100.1"]
    );
    assert_eq!(tls.kind, ObservationKind::Network);
}

#[test]
fn ocsf_dns_http_file_and_email_activity() {
    let dns = event("ocsf_dns");
    assert_eq!(
        values(&dns),
        [
            "sourceIp 10.1.2.3",
            "destinationIp 10.1.0.2",
            "domain c2.example.net",
            "destinationIp 203.0.113.50",
            "domain alias.example.net"
        ]
    );
    assert_eq!(
        (dns.format, dns.kind),
        (EventFormat::Ocsf, ObservationKind::Dns)
    );
    assert_eq!(
        (utc(dns.time), dns.id.as_deref()),
        ("2024-05-01T10:00:00.1230000Z".into(), Some("q-1"))
    );
    let c = &dns.context;
    assert_eq!(
        (
            c.product.as_deref(),
            c.severity.as_deref(),
            c.host_name.as_deref()
        ),
        (
            Some("Route 53 Resolver"),
            Some("Informational"),
            Some("ws-9")
        )
    );
    let http = event("ocsf_http");
    assert_eq!(
        values(&http),
        [
            "domain pay.example.org",
            "destinationIp 192.0.2.80",
            "hostIp 192.0.2.1",
            "url https://pay.example.org/login"
        ]
    );
    assert_eq!(
        (http.kind, http.context.user_name.as_deref()),
        (ObservationKind::Http, Some("svc"))
    );
    let file = event("ocsf_file");
    assert_eq!(
        values(&file),
        [
            "fileHash:md5 44d88612fea8a8f36de82e1278abb02f",
            "fileHash:sha256 275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f",
            "fileHash:sha1 3395856ce81f2b7382dee72602f798b642f14140"
        ]
    );
    assert_eq!((file.kind, file.skipped), (ObservationKind::File, 1));
    let mail = event("ocsf_email");
    assert_eq!(
        values(&mail),
        [
            "emailSender billing@evil.example",
            "emailRecipient cfo@corp.example",
            "emailRecipient ops@corp.example"
        ]
    );
    assert_eq!(
        (mail.kind, utc(mail.time)),
        (
            ObservationKind::Email,
            "2024-05-01T10:00:00.0000000Z".into()
        )
    );
}

#[test]
fn native_schema_with_lenient_values() {
    let o = event("native_http");
    assert_eq!(
        values(&o),
        [
            "sourceIp 10.0.0.5",
            "destinationIp 203.0.113.7",
            "destinationIp 2001:db8::1",
            "url http://[2001:db8::1]:8080/y",
            "emailRecipient x@y.example"
        ]
    );
    assert_eq!(
        (o.kind, o.format, o.id.as_deref()),
        (ObservationKind::Http, EventFormat::Native, Some("42"))
    );
    assert_eq!(
        (utc(o.time), o.context.source_port),
        ("2024-05-01T10:00:00.0000000Z".into(), Some(51514))
    );
    let other = event("native_unknown_type");
    assert_eq!(
        (other.kind, other.skipped, other.time),
        (ObservationKind::Network, 2, now())
    );
    let v6 = event("suricata_ipv6_host");
    assert_eq!(
        values(&v6),
        ["destinationIp 2001:db8::2", "url http://[2001:db8::2]/a?b"]
    );
    let wrapped = event("ecs_source_wrapper");
    assert_eq!(values(&wrapped), ["sourceIp 192.0.2.4"]);
}

#[test]
fn bad_values_are_skipped_one_by_one_and_errors_say_why() {
    let o = event("bad_values");
    assert_eq!(values(&o), ["destinationIp 203.0.113.7"]);
    assert_eq!(o.skipped, 6);
    let e = parse_ndjson_line(
        br#"{"type":"dns","dns":{"question":{"name":"bad name.example"}},"source":{"ip":"x"}}"#,
        now(),
    )
    .unwrap_err();
    assert_eq!(e.kind, ObservationErrorKind::NothingMatchable);
    assert_eq!(
        e.message,
        "no IP, domain, URL, hash or e-mail address found in the event (read as native, type 'dns'); \
         2 values could not be read, the first: domain: 'bad name.example' contains ' '; a domain \
         name has letters, digits, '-', '_' and dots"
    );
    for (line, kind, says) in [
        (
            &b"[{\"src_ip\":\"1.2.3.4\"}]"[..],
            ObservationErrorKind::NotAnObject,
            "line is not a JSON object (it is an array)",
        ),
        (
            b"{\"src_ip\":",
            ObservationErrorKind::InvalidJson,
            "line is not valid JSON (EOF while parsing",
        ),
        (b"   ", ObservationErrorKind::EmptyLine, "line is empty"),
        (
            b"{}",
            ObservationErrorKind::NothingMatchable,
            "(read as ECS)",
        ),
        (
            b"{\"class_uid\":0}",
            ObservationErrorKind::NothingMatchable,
            "(read as OCSF, class_uid 0)",
        ),
    ] {
        let e = parse_ndjson_line(line, now()).unwrap_err();
        assert_eq!(e.kind, kind, "{}", e.message);
        assert!(e.message.contains(says), "{}", e.message);
    }
    let e = parse_observation(&json!("x"), now()).unwrap_err();
    assert_eq!(e.kind, ObservationErrorKind::NotAnObject);
}

/// Run with `cargo test --release -p model --test observation -- --ignored --nocapture`.
#[test]
#[ignore]
fn parse_cost_per_event() {
    let all: Vec<Vec<u8>> = sample_files().iter().flat_map(lines).collect();
    let rounds = 2000;
    let bytes_in: usize = all.iter().map(Vec::len).sum();
    let timed = |f: &dyn Fn(&[u8]) -> bool| {
        let start = std::time::Instant::now();
        let mut ok = 0usize;
        for _ in 0..rounds {
            for l in &all {
                ok += usize::from(f(l));
            }
        }
        let n = rounds * all.len();
        (start.elapsed().as_nanos() as f64 / n as f64, ok / rounds)
    };
    let (direct, ok) = timed(&|l| parse_ndjson_line(l, now()).is_ok());
    let (via_value, _) = timed(&|l| {
        let v: Value = serde_json::from_slice(l).unwrap();
        parse_observation(&v, now()).is_ok()
    });
    let (value_only, _) = timed(&|l| serde_json::from_slice::<Value>(l).is_ok());

    println!(
        "{} lines ({} bytes, {ok} observations): parse_ndjson_line {direct:.0} ns/event; \
         Value + parse_observation {via_value:.0} ns/event (serde_json::Value alone {value_only:.0})",
        all.len(),
        bytes_in
    );
}
