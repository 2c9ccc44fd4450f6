//! The enums of `microsoft.graph.tiIndicator`, each declared once with its wire strings.
//!
//! `action`, `diamondModel`, `fileHashType` and `tlpLevel` are OData enums (camelCase members in
//! Graph's declaration order). `threatType`, `targetProduct` and the items of `killChain` are plain
//! strings in Graph's model with a documented set of values; we keep them as closed Rust enums so
//! that their spelling is canonical on output (`watchlist` in, `WatchList` out), and type them as
//! `Edm.String` in [`crate::schema::indicator::TI_INDICATOR`]. Input matches members case-insensitively; the
//! `*_ALIASES` tables list the other spellings real feeds send.

use crate::wire_enum;

wire_enum! {
    /// `microsoft.graph.tiAction`: what a product does when the indicator matches.
    pub enum TiAction: "microsoft.graph.tiAction" {
        Unknown = "unknown", Allow = "allow", Block = "block", Alert = "alert",
        UnknownFutureValue = "unknownFutureValue",
    }
}

wire_enum! {
    /// `microsoft.graph.tlpLevel`: the Traffic Light Protocol level of the indicator.
    pub enum TlpLevel: "microsoft.graph.tlpLevel" {
        Unknown = "unknown", White = "white", Green = "green", Amber = "amber", Red = "red",
        UnknownFutureValue = "unknownFutureValue",
    }
}

wire_enum! {
    /// `microsoft.graph.diamondModel`: the Diamond Model area the indicator belongs to.
    pub enum DiamondModel: "microsoft.graph.diamondModel" {
        Unknown = "unknown", Adversary = "adversary", Capability = "capability",
        Infrastructure = "infrastructure", Victim = "victim",
        UnknownFutureValue = "unknownFutureValue",
    }
}

/// `microsoft.graph.fileHashType`, the algorithm of `fileHashValue`: the same Graph type as the
/// legacy alert's file hashes, declared once in [`crate::legacy::enums`].
pub use crate::legacy::enums::FileHashType;

wire_enum! {
    /// `threatType` (a string in Graph): the kind of threat the indicator detects.
    pub enum ThreatType: "threatType" {
        Botnet = "Botnet", C2 = "C2", CryptoMining = "CryptoMining", Darknet = "Darknet",
        DDoS = "DDoS", MaliciousUrl = "MaliciousUrl", Malware = "Malware", Phishing = "Phishing",
        Proxy = "Proxy", Pua = "PUA", WatchList = "WatchList",
    }
}

wire_enum! {
    /// `targetProduct` (a string in Graph): the security product the indicator is meant for.
    pub enum TargetProduct: "targetProduct" {
        AzureSentinel = "Azure Sentinel", MicrosoftDefenderAtp = "Microsoft Defender ATP",
    }
}

wire_enum! {
    /// An item of `killChain` (a string collection in Graph): the Lockheed Martin kill-chain
    /// phase the indicator targets.
    pub enum KillChain: "killChain" {
        Actions = "Actions", C2 = "C2", Delivery = "Delivery", Exploitation = "Exploitation",
        Installation = "Installation", Reconnaissance = "Reconnaissance",
        Weaponization = "Weaponization",
    }
}

/// TLP 2.0 renamed WHITE to CLEAR (MISP tags `tlp:clear`); Graph only knows `white`.
pub const TLP_ALIASES: &[(&str, TlpLevel)] = &[("clear", TlpLevel::White)];

/// MISP's hash attribute names for the two non-obvious members.
pub const FILE_HASH_TYPE_ALIASES: &[(&str, FileHashType)] = &[
    ("ssdeep", FileHashType::Ctph),
    ("authentihash", FileHashType::AuthenticodeHash256),
];

/// The product's current names, accepted for the names Graph documents.
pub const TARGET_PRODUCT_ALIASES: &[(&str, TargetProduct)] = &[
    ("Microsoft Sentinel", TargetProduct::AzureSentinel),
    (
        "Microsoft Defender for Endpoint",
        TargetProduct::MicrosoftDefenderAtp,
    ),
];

/// The long names of the phases (`Actions on Objectives`, `Command and Control`).
pub const KILL_CHAIN_ALIASES: &[(&str, KillChain)] = &[
    ("Actions on Objectives", KillChain::Actions),
    ("ActionsOnObjectives", KillChain::Actions),
    ("Command and Control", KillChain::C2),
    ("CommandAndControl", KillChain::C2),
];

impl FileHashType {
    /// The number of hexadecimal digits a value of this type has, for the fixed-length digests
    /// (`md5` 32, `sha1` 40, `sha256` and `authenticodeHash256` 64); `None` for the others.
    pub const fn hex_len(self) -> Option<usize> {
        match self {
            FileHashType::Md5 => Some(32),
            FileHashType::Sha1 => Some(40),
            FileHashType::Sha256 | FileHashType::AuthenticodeHash256 => Some(64),
            _ => None,
        }
    }

    /// The fixed-length type a hexadecimal value of `len` digits most likely is (for hints).
    pub fn guess_from_hex_len(len: usize) -> Option<FileHashType> {
        match len {
            32 => Some(FileHashType::Md5),
            40 => Some(FileHashType::Sha1),
            64 => Some(FileHashType::Sha256),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_valued_members_are_canonicalised_on_output() {
        for (input, out) in [
            ("\"watchlist\"", "\"WatchList\""),
            ("\"WATCHLIST\"", "\"WatchList\""),
            ("\"pua\"", "\"PUA\""),
            ("\"ddos\"", "\"DDoS\""),
        ] {
            let t: ThreatType = serde_json::from_str(input).unwrap();
            assert_eq!(serde_json::to_string(&t).unwrap(), out);
        }
        let p: TargetProduct = serde_json::from_str("\"azure sentinel\"").unwrap();
        assert_eq!(p.as_str(), "Azure Sentinel");
    }

    #[test]
    fn odata_enums_keep_graph_declaration_order() {
        assert_eq!(
            FileHashType::ODATA.members,
            &[
                "unknown",
                "sha1",
                "sha256",
                "md5",
                "authenticodeHash256",
                "lsHash",
                "ctph",
                "unknownFutureValue"
            ]
        );
        assert_eq!(TiAction::parse("Block"), Some(TiAction::Block));
        assert_eq!(FileHashType::Sha256.hex_len(), Some(64));
        assert_eq!(FileHashType::Ctph.hex_len(), None);
    }
}
