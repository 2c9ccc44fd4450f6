//! Hand-made alerts at the edges where SQLite and PostgreSQL could disagree: nulls and empty
//! strings, non-ASCII and mixed case, LIKE wildcards and backslashes, numbers, Booleans and nested
//! values in dictionaries, empty and absent evidence, evidence kept verbatim with values of the
//! wrong JSON type, ties on the default sort key, and ids that sort differently by byte and by case.

use crate::common::alert;
use model::StoredAlert;
use serde_json::json;

/// The edge alerts (ids `edge-…`).
pub fn alerts() -> Vec<StoredAlert> {
    vec![
        alert(
            "edge-A",
            json!({
                "title": "Ünïcödé straße ß", "assignedTo": "ÄLICE@contoso.com",
                "description": "100% _done_ \\ back\\slash", "category": "red,green",
                "severity": "high", "status": "inProgress",
                "customDetails": {
                    "score": 7, "ratio": 2.5, "flag": true, "one": 1, "neg": -3, "text": "7",
                    "big": 9_007_199_254_740_993_i64, "list": ["a", "b"], "pair": ["x", "y"],
                    "obj": {"k": "v", "n": 5}, "empty": "", "nothing": null, "Mixed": "MiXeD",
                    "zero": 0, "exp": 1e3
                },
                "systemTags": ["", "Ünïcödé", "ß", "SS"],
                "evidence": [],
                "legacy": {"tags": ["Ünïcödé", "", "a_b"], "comments": ["100%"]}
            }),
        ),
        alert(
            "edge-a",
            json!({
                "title": "", "assignedTo": "", "description": null, "category": "blue",
                "severity": "informational", "status": "resolved",
                "resolvedDateTime": "2024-05-02T00:00:00Z",
                "customDetails": {
                    "score": "High", "flag": false, "one": 0, "text": 7, "list": "a",
                    "obj": "not an object", "ratio": "2.5", "Mixed": "mixed"
                },
                "additionalData": {"score": 70, "empty": {}, "arr": []}
            }),
        ),
        alert(
            "edge-ß",
            json!({
                "title": "MiXeD CaSe ünïcödé", "assignedTo": "bob@CONTOSO.com",
                "description": "a_b\\c", "category": "Red, Blue",
                "severity": "low", "status": "new",
                "createdDateTime": "2023-12-31T23:59:59.9999999Z",
                "lastUpdateDateTime": "2024-01-01T00:00:00Z",
                "mitreTechniques": ["T1059", "t1059", "T1059.001"],
                "evidence": [
                    {"@odata.type": "#microsoft.graph.security.fileEvidence",
                     "createdDateTime": "2024-05-01T10:00:00+02:00", "verdict": "malicious",
                     "roles": ["attacker", "source"], "tags": ["X", "ünï"],
                     "detailedRoles": ["Main device", ""],
                     "fileDetails": {"fileName": "evil_100%.exe", "sha256": "AB", "fileSize": 100,
                                     "filePath": "C:\\Temp\\"}},
                    {"@odata.type": "#microsoft.graph.security.ipEvidence", "ipAddress": "10.0.0.1",
                     "verdict": "suspicious", "roles": [], "tags": [],
                     "location": {"latitude": 47.6, "longitude": -122.3, "city": "Zürich"}},
                    {"@odata.type": "#microsoft.graph.security.userEvidence", "verdict": "unknown",
                     "userAccount": {"accountName": "Ünï", "activeDirectoryObjectGuid":
                                     "01234567-89ab-cdef-0123-456789abcdef"}}
                ],
                "legacy": {"tags": ["Escalated"]}
            }),
        ),
        alert(
            "edge-Z",
            json!({
                "title": "O'Brien's  padded  ", "assignedTo": "alice@contoso.com",
                "description": "plain", "category": "reddish",
                "severity": "medium", "status": "new",
                "serviceSource": "microsoftSentinel",
                "systemTags": ["Defender Experts"],
                // Items that do not fit their declared types are kept verbatim: values of the
                // wrong JSON type where a typed path expects a number, a date or an array.
                "evidence": [
                    {"@odata.type": "#microsoft.graph.security.fileEvidence",
                     "verdict": 5, "roles": "attacker", "tags": "x", "createdDateTime": "yesterday",
                     "fileDetails": {"fileName": 12, "fileSize": "100"}},
                    {"@odata.type": "#microsoft.graph.security.ipEvidence",
                     "ipAddress": ["10.0.0.2"], "location": {"latitude": "47.6"}, "roles": {"a": 1}},
                    {"@odata.type": "#microsoft.graph.security.unknownNewEvidence",
                     "verdict": "benign", "roles": ["contextual"], "createdDateTime": "2024-05-01T08:00:00Z"}
                ]
            }),
        ),
        alert(
            "edge-0",
            json!({
                "title": "\tTabbed\t", "assignedTo": null, "description": "%",
                "severity": "unknown", "status": "unknownFutureValue",
                "classification": "truePositive", "determination": "malware",
                "createdDateTime": "2024-05-01T00:00:00Z",
                "firstActivityDateTime": "2024-05-01T00:00:00.0000001Z",
                "customDetails": {"score": 7.0, "flag": 1, "text": "seven", "list": ["a"]},
                "vendor": {"provider": "Ünïcödé Vendor", "vendor": "ß"}
            }),
        ),
    ]
}
