//! The enums of `microsoft.graph.security.alert` (alerts_v2), in Graph's declaration order.

use crate::wire_enum;

wire_enum! {
    /// `microsoft.graph.security.alertStatus`.
    pub enum AlertStatus: "microsoft.graph.security.alertStatus" {
        Unknown = "unknown", New = "new", InProgress = "inProgress", Resolved = "resolved",
        UnknownFutureValue = "unknownFutureValue",
    }
}

wire_enum! {
    /// `microsoft.graph.security.alertSeverity`.
    pub enum AlertSeverity: "microsoft.graph.security.alertSeverity" {
        Unknown = "unknown", Informational = "informational", Low = "low", Medium = "medium",
        High = "high", UnknownFutureValue = "unknownFutureValue",
    }
}

wire_enum! {
    /// `microsoft.graph.security.alertClassification`.
    pub enum AlertClassification: "microsoft.graph.security.alertClassification" {
        Unknown = "unknown", FalsePositive = "falsePositive", TruePositive = "truePositive",
        InformationalExpectedActivity = "informationalExpectedActivity",
        UnknownFutureValue = "unknownFutureValue",
    }
}

wire_enum! {
    /// `microsoft.graph.security.alertDetermination`.
    pub enum AlertDetermination: "microsoft.graph.security.alertDetermination" {
        Unknown = "unknown", Apt = "apt", Malware = "malware", SecurityPersonnel = "securityPersonnel",
        SecurityTesting = "securityTesting", UnwantedSoftware = "unwantedSoftware", Other = "other",
        MultiStagedAttack = "multiStagedAttack", CompromisedAccount = "compromisedAccount",
        Phishing = "phishing", MaliciousUserActivity = "maliciousUserActivity",
        NotMalicious = "notMalicious", NotEnoughDataToValidate = "notEnoughDataToValidate",
        ConfirmedActivity = "confirmedActivity", LineOfBusinessApplication = "lineOfBusinessApplication",
        UnknownFutureValue = "unknownFutureValue",
    }
}

wire_enum! {
    /// `microsoft.graph.security.serviceSource`.
    pub enum ServiceSource: "microsoft.graph.security.serviceSource" {
        Unknown = "unknown", MicrosoftDefenderForEndpoint = "microsoftDefenderForEndpoint",
        MicrosoftDefenderForIdentity = "microsoftDefenderForIdentity",
        MicrosoftDefenderForCloudApps = "microsoftDefenderForCloudApps",
        MicrosoftDefenderForOffice365 = "microsoftDefenderForOffice365",
        Microsoft365Defender = "microsoft365Defender",
        AzureAdIdentityProtection = "azureAdIdentityProtection",
        MicrosoftAppGovernance = "microsoftAppGovernance", DataLossPrevention = "dataLossPrevention",
        UnknownFutureValue = "unknownFutureValue",
        MicrosoftDefenderForCloud = "microsoftDefenderForCloud", MicrosoftSentinel = "microsoftSentinel",
        MicrosoftInsiderRiskManagement = "microsoftInsiderRiskManagement",
        MicrosoftThreatIntelligence = "microsoftThreatIntelligence",
        MicrosoftSecurityForAi = "microsoftSecurityForAI",
    }
}

wire_enum! {
    /// `microsoft.graph.security.detectionSource`.
    pub enum DetectionSource: "microsoft.graph.security.detectionSource" {
        Unknown = "unknown", MicrosoftDefenderForEndpoint = "microsoftDefenderForEndpoint",
        Antivirus = "antivirus", SmartScreen = "smartScreen", CustomTi = "customTi",
        MicrosoftDefenderForOffice365 = "microsoftDefenderForOffice365",
        AutomatedInvestigation = "automatedInvestigation",
        MicrosoftThreatExperts = "microsoftThreatExperts", CustomDetection = "customDetection",
        MicrosoftDefenderForIdentity = "microsoftDefenderForIdentity",
        CloudAppSecurity = "cloudAppSecurity", Microsoft365Defender = "microsoft365Defender",
        AzureAdIdentityProtection = "azureAdIdentityProtection", Manual = "manual",
        MicrosoftDataLossPrevention = "microsoftDataLossPrevention",
        AppGovernancePolicy = "appGovernancePolicy", AppGovernanceDetection = "appGovernanceDetection",
        UnknownFutureValue = "unknownFutureValue",
        MicrosoftDefenderForCloud = "microsoftDefenderForCloud",
        MicrosoftDefenderForIoT = "microsoftDefenderForIoT",
        MicrosoftDefenderForServers = "microsoftDefenderForServers",
        MicrosoftDefenderForStorage = "microsoftDefenderForStorage",
        MicrosoftDefenderForDns = "microsoftDefenderForDNS",
        MicrosoftDefenderForDatabases = "microsoftDefenderForDatabases",
        MicrosoftDefenderForContainers = "microsoftDefenderForContainers",
        MicrosoftDefenderForNetwork = "microsoftDefenderForNetwork",
        MicrosoftDefenderForAppService = "microsoftDefenderForAppService",
        MicrosoftDefenderForKeyVault = "microsoftDefenderForKeyVault",
        MicrosoftDefenderForResourceManager = "microsoftDefenderForResourceManager",
        MicrosoftDefenderForApiManagement = "microsoftDefenderForApiManagement",
        NrtAlerts = "nrtAlerts", ScheduledAlerts = "scheduledAlerts",
        MicrosoftDefenderThreatIntelligenceAnalytics = "microsoftDefenderThreatIntelligenceAnalytics",
        BuiltInMl = "builtInMl", MicrosoftInsiderRiskManagement = "microsoftInsiderRiskManagement",
        MicrosoftThreatIntelligence = "microsoftThreatIntelligence",
        MicrosoftDefenderForAiServices = "microsoftDefenderForAIServices",
        SecurityCopilot = "securityCopilot", MicrosoftSentinel = "microsoftSentinel",
    }
}

wire_enum! {
    /// `microsoft.graph.security.investigationState`.
    pub enum InvestigationState: "microsoft.graph.security.investigationState" {
        Unknown = "unknown", Terminated = "terminated", SuccessfullyRemediated = "successfullyRemediated",
        Benign = "benign", Failed = "failed", PartiallyRemediated = "partiallyRemediated",
        Running = "running", PendingApproval = "pendingApproval", PendingResource = "pendingResource",
        Queued = "queued", InnerFailure = "innerFailure", PreexistingAlert = "preexistingAlert",
        UnsupportedOs = "unsupportedOs", UnsupportedAlertType = "unsupportedAlertType",
        SuppressedAlert = "suppressedAlert", PartiallyInvestigated = "partiallyInvestigated",
        TerminatedByUser = "terminatedByUser", TerminatedBySystem = "terminatedBySystem",
        UnknownFutureValue = "unknownFutureValue",
    }
}

wire_enum! {
    /// `microsoft.graph.security.evidenceRemediationStatus`.
    pub enum EvidenceRemediationStatus: "microsoft.graph.security.evidenceRemediationStatus" {
        None = "none", Remediated = "remediated", Prevented = "prevented", Blocked = "blocked",
        NotFound = "notFound", UnknownFutureValue = "unknownFutureValue", Active = "active",
        PendingApproval = "pendingApproval", Declined = "declined", Unremediated = "unremediated",
        Running = "running", PartiallyRemediated = "partiallyRemediated",
    }
}

wire_enum! {
    /// `microsoft.graph.security.evidenceVerdict`.
    pub enum EvidenceVerdict: "microsoft.graph.security.evidenceVerdict" {
        Unknown = "unknown", Suspicious = "suspicious", Malicious = "malicious",
        NoThreatsFound = "noThreatsFound", UnknownFutureValue = "unknownFutureValue",
    }
}

wire_enum! {
    /// `microsoft.graph.security.evidenceRole`.
    pub enum EvidenceRole: "microsoft.graph.security.evidenceRole" {
        Unknown = "unknown", Contextual = "contextual", Scanned = "scanned", Source = "source",
        Destination = "destination", Created = "created", Added = "added", Compromised = "compromised",
        Edited = "edited", Attacked = "attacked", Attacker = "attacker",
        CommandAndControl = "commandAndControl", Loaded = "loaded", Suspicious = "suspicious",
        PolicyViolator = "policyViolator", UnknownFutureValue = "unknownFutureValue",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_case_insensitively_and_emits_camel_case() {
        let s: AlertSeverity = serde_json::from_str("\"High\"").unwrap();
        assert_eq!(s, AlertSeverity::High);
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"high\"");
    }

    #[test]
    fn evolvable_members_are_hidden_without_opt_in() {
        assert_eq!(
            ServiceSource::MicrosoftSentinel.visible_str(false),
            "unknownFutureValue"
        );
        assert_eq!(
            ServiceSource::MicrosoftSentinel.visible_str(true),
            "microsoftSentinel"
        );
        assert_eq!(
            ServiceSource::MicrosoftDefenderForEndpoint.visible_str(false),
            "microsoftDefenderForEndpoint"
        );
    }

    #[test]
    fn unknown_member_names_the_valid_ones() {
        let e = "critical".parse::<AlertSeverity>().unwrap_err();
        assert!(e.contains("informational, low, medium, high"), "{e}");
    }
}
