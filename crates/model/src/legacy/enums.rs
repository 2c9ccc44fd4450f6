//! The enums of the legacy `microsoft.graph.alert` and its sub-records, in Graph's declaration
//! order (namespace `microsoft.graph`).

use crate::wire_enum;

wire_enum! {
    /// `microsoft.graph.alertFeedback`.
    pub enum AlertFeedback: "microsoft.graph.alertFeedback" {
        Unknown = "unknown", TruePositive = "truePositive", FalsePositive = "falsePositive",
        BenignPositive = "benignPositive", UnknownFutureValue = "unknownFutureValue",
    }
}

wire_enum! {
    /// `microsoft.graph.alertSeverity`.
    pub enum LegacyAlertSeverity: "microsoft.graph.alertSeverity" {
        Unknown = "unknown", Informational = "informational", Low = "low", Medium = "medium",
        High = "high", UnknownFutureValue = "unknownFutureValue",
    }
}

wire_enum! {
    /// `microsoft.graph.alertStatus`.
    pub enum LegacyAlertStatus: "microsoft.graph.alertStatus" {
        Unknown = "unknown", NewAlert = "newAlert", InProgress = "inProgress",
        Resolved = "resolved", Dismissed = "dismissed", UnknownFutureValue = "unknownFutureValue",
    }
}

wire_enum! {
    /// `microsoft.graph.connectionDirection`.
    pub enum ConnectionDirection: "microsoft.graph.connectionDirection" {
        Unknown = "unknown", Inbound = "inbound", Outbound = "outbound",
        UnknownFutureValue = "unknownFutureValue",
    }
}

wire_enum! {
    /// `microsoft.graph.connectionStatus`.
    pub enum ConnectionStatus: "microsoft.graph.connectionStatus" {
        Unknown = "unknown", Attempted = "attempted", Succeeded = "succeeded", Blocked = "blocked",
        Failed = "failed", UnknownFutureValue = "unknownFutureValue",
    }
}

wire_enum! {
    /// `microsoft.graph.emailRole`.
    pub enum EmailRole: "microsoft.graph.emailRole" {
        Unknown = "unknown", Sender = "sender", Recipient = "recipient",
        UnknownFutureValue = "unknownFutureValue",
    }
}

wire_enum! {
    /// `microsoft.graph.fileHashType`.
    pub enum FileHashType: "microsoft.graph.fileHashType" {
        Unknown = "unknown", Sha1 = "sha1", Sha256 = "sha256", Md5 = "md5",
        AuthenticodeHash256 = "authenticodeHash256", LsHash = "lsHash", Ctph = "ctph",
        UnknownFutureValue = "unknownFutureValue",
    }
}

wire_enum! {
    /// `microsoft.graph.logonType`.
    pub enum LogonType: "microsoft.graph.logonType" {
        Unknown = "unknown", Interactive = "interactive", RemoteInteractive = "remoteInteractive",
        Network = "network", Batch = "batch", Service = "service",
        UnknownFutureValue = "unknownFutureValue",
    }
}

wire_enum! {
    /// `microsoft.graph.processIntegrityLevel`.
    pub enum ProcessIntegrityLevel: "microsoft.graph.processIntegrityLevel" {
        Unknown = "unknown", Untrusted = "untrusted", Low = "low", Medium = "medium", High = "high",
        System = "system", UnknownFutureValue = "unknownFutureValue",
    }
}

wire_enum! {
    /// `microsoft.graph.registryHive`.
    pub enum RegistryHive: "microsoft.graph.registryHive" {
        Unknown = "unknown", CurrentConfig = "currentConfig", CurrentUser = "currentUser",
        LocalMachineSam = "localMachineSam", LocalMachineSecurity = "localMachineSecurity",
        LocalMachineSoftware = "localMachineSoftware", LocalMachineSystem = "localMachineSystem",
        UsersDefault = "usersDefault", UnknownFutureValue = "unknownFutureValue",
    }
}

wire_enum! {
    /// `microsoft.graph.registryOperation`.
    pub enum RegistryOperation: "microsoft.graph.registryOperation" {
        Unknown = "unknown", Create = "create", Modify = "modify", Delete = "delete",
        UnknownFutureValue = "unknownFutureValue",
    }
}

wire_enum! {
    /// `microsoft.graph.registryValueType`.
    pub enum RegistryValueType: "microsoft.graph.registryValueType" {
        Unknown = "unknown", Binary = "binary", Dword = "dword",
        DwordLittleEndian = "dwordLittleEndian", DwordBigEndian = "dwordBigEndian",
        ExpandSz = "expandSz", Link = "link", MultiSz = "multiSz", None = "none", Qword = "qword",
        QwordlittleEndian = "qwordlittleEndian", Sz = "sz",
        UnknownFutureValue = "unknownFutureValue",
    }
}

wire_enum! {
    /// `microsoft.graph.securityNetworkProtocol`.
    pub enum SecurityNetworkProtocol: "microsoft.graph.securityNetworkProtocol" {
        Unknown = "unknown", Ip = "ip", Icmp = "icmp", Igmp = "igmp", Ggp = "ggp", Ipv4 = "ipv4",
        Tcp = "tcp", Pup = "pup", Udp = "udp", Idp = "idp", Ipv6 = "ipv6",
        Ipv6RoutingHeader = "ipv6RoutingHeader", Ipv6FragmentHeader = "ipv6FragmentHeader",
        IpSecEncapsulatingSecurityPayload = "ipSecEncapsulatingSecurityPayload",
        IpSecAuthenticationHeader = "ipSecAuthenticationHeader", IcmpV6 = "icmpV6",
        Ipv6NoNextHeader = "ipv6NoNextHeader", Ipv6DestinationOptions = "ipv6DestinationOptions",
        Nd = "nd", Raw = "raw", Ipx = "ipx", Spx = "spx", SpxIi = "spxII",
        UnknownFutureValue = "unknownFutureValue",
    }
}

wire_enum! {
    /// `microsoft.graph.securityResourceType`.
    pub enum SecurityResourceType: "microsoft.graph.securityResourceType" {
        Unknown = "unknown", Attacked = "attacked", Related = "related",
        UnknownFutureValue = "unknownFutureValue",
    }
}

wire_enum! {
    /// `microsoft.graph.userAccountSecurityType`.
    pub enum UserAccountSecurityType: "microsoft.graph.userAccountSecurityType" {
        Unknown = "unknown", Standard = "standard", Power = "power",
        Administrator = "administrator", UnknownFutureValue = "unknownFutureValue",
    }
}
