//! The enums of the evidence subtypes, in Graph's declaration order.

use crate::wire_enum;

wire_enum! {
    /// `microsoft.graph.security.aiAgentPlatform`.
    pub enum AiAgentPlatform: "microsoft.graph.security.aiAgentPlatform" {
        Unknown = "unknown", AzureAiFoundry = "azureAIFoundry", CopilotStudio = "copilotStudio",
        Copilot = "copilot", UnknownFutureValue = "unknownFutureValue",
    }
}

wire_enum! {
    /// `microsoft.graph.security.antispamTeamsDirection`.
    pub enum AntispamTeamsDirection: "microsoft.graph.security.antispamTeamsDirection" {
        Unknown = "unknown", Inbound = "inbound", Outbound = "outbound", Intraorg = "intraorg",
        UnknownFutureValue = "unknownFutureValue",
    }
}

wire_enum! {
    /// `microsoft.graph.security.containerPortProtocol`.
    pub enum ContainerPortProtocol: "microsoft.graph.security.containerPortProtocol" {
        Udp = "udp", Tcp = "tcp", Sctp = "sctp", UnknownFutureValue = "unknownFutureValue",
    }
}

wire_enum! {
    /// `microsoft.graph.security.defenderAvStatus`.
    pub enum DefenderAvStatus: "microsoft.graph.security.defenderAvStatus" {
        NotReporting = "notReporting", Disabled = "disabled", NotUpdated = "notUpdated",
        Updated = "updated", Unknown = "unknown", NotSupported = "notSupported",
        UnknownFutureValue = "unknownFutureValue",
    }
}

wire_enum! {
    /// `microsoft.graph.security.detectionStatus`.
    pub enum DetectionStatus: "microsoft.graph.security.detectionStatus" {
        Detected = "detected", Blocked = "blocked", Prevented = "prevented",
        UnknownFutureValue = "unknownFutureValue",
    }
}

wire_enum! {
    /// `microsoft.graph.security.deviceHealthStatus`.
    pub enum DeviceHealthStatus: "microsoft.graph.security.deviceHealthStatus" {
        Active = "active", Inactive = "inactive", ImpairedCommunication = "impairedCommunication",
        NoSensorData = "noSensorData",
        NoSensorDataImpairedCommunication = "noSensorDataImpairedCommunication",
        Unknown = "unknown", UnknownFutureValue = "unknownFutureValue",
    }
}

wire_enum! {
    /// `microsoft.graph.security.deviceRiskScore`.
    pub enum DeviceRiskScore: "microsoft.graph.security.deviceRiskScore" {
        None = "none", Informational = "informational", Low = "low", Medium = "medium",
        High = "high", UnknownFutureValue = "unknownFutureValue",
    }
}

wire_enum! {
    /// `microsoft.graph.security.fileHashAlgorithm`.
    pub enum FileHashAlgorithm: "microsoft.graph.security.fileHashAlgorithm" {
        Unknown = "unknown", Md5 = "md5", Sha1 = "sha1", Sha256 = "sha256", Sha256ac = "sha256ac",
        UnknownFutureValue = "unknownFutureValue",
    }
}

wire_enum! {
    /// `microsoft.graph.security.googleCloudLocationType`.
    pub enum GoogleCloudLocationType: "microsoft.graph.security.googleCloudLocationType" {
        Unknown = "unknown", Regional = "regional", Zonal = "zonal", Global = "global",
        UnknownFutureValue = "unknownFutureValue",
    }
}

wire_enum! {
    /// `microsoft.graph.security.ioTDeviceImportanceType`.
    pub enum IoTDeviceImportanceType: "microsoft.graph.security.ioTDeviceImportanceType" {
        Unknown = "unknown", Low = "low", Normal = "normal", High = "high",
        UnknownFutureValue = "unknownFutureValue",
    }
}

wire_enum! {
    /// `microsoft.graph.security.kubernetesPlatform`.
    pub enum KubernetesPlatform: "microsoft.graph.security.kubernetesPlatform" {
        Unknown = "unknown", Aks = "aks", Eks = "eks", Gke = "gke", Arc = "arc",
        UnknownFutureValue = "unknownFutureValue",
    }
}

wire_enum! {
    /// `microsoft.graph.security.kubernetesServiceType`.
    pub enum KubernetesServiceType: "microsoft.graph.security.kubernetesServiceType" {
        Unknown = "unknown", ClusterIp = "clusterIP", ExternalName = "externalName",
        NodePort = "nodePort", LoadBalancer = "loadBalancer",
        UnknownFutureValue = "unknownFutureValue",
    }
}

wire_enum! {
    /// `microsoft.graph.security.mailboxConfigurationType`.
    pub enum MailboxConfigurationType: "microsoft.graph.security.mailboxConfigurationType" {
        MailForwardingRule = "mailForwardingRule", OwaSettings = "owaSettings",
        EwsSettings = "ewsSettings", MailDelegation = "mailDelegation",
        UserInboxRule = "userInboxRule", UnknownFutureValue = "unknownFutureValue",
    }
}

wire_enum! {
    /// `microsoft.graph.security.onboardingStatus`.
    pub enum OnboardingStatus: "microsoft.graph.security.onboardingStatus" {
        InsufficientInfo = "insufficientInfo", Onboarded = "onboarded",
        CanBeOnboarded = "canBeOnboarded", Unsupported = "unsupported",
        UnknownFutureValue = "unknownFutureValue",
    }
}

wire_enum! {
    /// `microsoft.graph.security.protocolType`.
    pub enum ProtocolType: "microsoft.graph.security.protocolType" {
        Tcp = "tcp", Udp = "udp", UnknownFutureValue = "unknownFutureValue",
    }
}

wire_enum! {
    /// `microsoft.graph.security.servicePrincipalType`.
    pub enum ServicePrincipalType: "microsoft.graph.security.servicePrincipalType" {
        Unknown = "unknown", Application = "application", ManagedIdentity = "managedIdentity",
        Legacy = "legacy", UnknownFutureValue = "unknownFutureValue",
    }
}

wire_enum! {
    /// `microsoft.graph.security.teamsDeliveryLocation`.
    pub enum TeamsDeliveryLocation: "microsoft.graph.security.teamsDeliveryLocation" {
        Unknown = "unknown", Teams = "teams", Quarantine = "quarantine", Failed = "failed",
        UnknownFutureValue = "unknownFutureValue",
    }
}

wire_enum! {
    /// `microsoft.graph.security.teamsMessageDeliveryAction`.
    pub enum TeamsMessageDeliveryAction: "microsoft.graph.security.teamsMessageDeliveryAction" {
        Unknown = "unknown", DeliveredAsSpam = "deliveredAsSpam", Delivered = "delivered",
        Blocked = "blocked", Replaced = "replaced", UnknownFutureValue = "unknownFutureValue",
    }
}

wire_enum! {
    /// `microsoft.graph.security.vmCloudProvider`.
    pub enum VmCloudProvider: "microsoft.graph.security.vmCloudProvider" {
        Unknown = "unknown", Azure = "azure", UnknownFutureValue = "unknownFutureValue",
    }
}
