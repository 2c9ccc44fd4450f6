//! The people of the demo tenant: employees (alert subjects) and the SOC analysts who triage.

use crate::fingerprint;

/// The tenant's e-mail and UPN domain.
pub(crate) const MAIL_DOMAIN: &str = "contoso.com";
/// The NetBIOS domain of the on-premises directory.
pub(crate) const NT_DOMAIN: &str = "CONTOSO";
/// The DNS domain of the on-premises directory (devices' `dnsDomain`).
pub(crate) const DNS_DOMAIN: &str = "corp.contoso.com";
/// The domain SID prefix of on-premises accounts.
const DOMAIN_SID: &str = "S-1-5-21-1004336348-1177238915-682003330";

/// One employee.
#[derive(Debug)]
pub(crate) struct User {
    pub display_name: &'static str,
    /// sAMAccountName and UPN prefix.
    pub alias: &'static str,
    /// Relative id in the domain SID.
    pub rid: u32,
    /// A privileged (admin) account.
    pub admin: bool,
}

const fn user(display_name: &'static str, alias: &'static str, rid: u32) -> User {
    User {
        display_name,
        alias,
        rid,
        admin: false,
    }
}

const fn admin(display_name: &'static str, alias: &'static str, rid: u32) -> User {
    User {
        display_name,
        alias,
        rid,
        admin: true,
    }
}

/// Employees, most exposed first (the generator favours the head of the list).
pub(crate) const USERS: &[User] = &[
    user("Megan Bowman", "meganb", 1107),
    user("Adele Vance", "adelev", 1112),
    admin("Nestor Wilke (admin)", "adm-nestorw", 1131),
    user("Lidia Holloway", "lidiah", 1118),
    user("Diego Siciliani", "diegos", 1121),
    user("Grady Archie", "gradya", 1124),
    user("Isaiah Langer", "isaiahl", 1127),
    user("Johanna Lorenz", "johannal", 1133),
    user("Lee Gu", "leeg", 1136),
    user("Lynne Robbins", "lynner", 1139),
    user("Miriam Graham", "miriamg", 1142),
    user("Patti Fernandez", "pattif", 1145),
    user("Pradeep Gupta", "pradeepg", 1148),
    user("Alex Wilber", "alexw", 1151),
    user("Henrietta Mueller", "henriettam", 1154),
    user("Joni Sherman", "jonis", 1157),
    admin("Irvin Sayers (admin)", "adm-irvins", 1160),
    user("Enrico Cattaneo", "enricoc", 1163),
    user("Christie Cline", "christiec", 1166),
    user("Debra Berger", "debrab", 1169),
    user("Emily Braun", "emilyb", 1172),
    user("Ben Walters", "benw", 1175),
    user("Allan Deyoung", "alland", 1178),
    user("Raul Razo", "raulr", 1181),
    user("Sakura Tanaka", "sakurat", 1184),
    user("Kwame Mensah", "kwamem", 1187),
    user("Priya Raman", "priyar", 1190),
    user("Tomasz Nowak", "tomaszn", 1193),
    user("Fatima Haddad", "fatimah", 1196),
    user("Oliver Brandt", "oliverb", 1199),
    user("Chen Wei", "chenw", 1202),
    user("Ana Oliveira", "anao", 1205),
    admin("Svc Backup", "svc-backup", 1210),
    user("Jonas Lindqvist", "jonasl", 1213),
    user("Maria Garcia", "mariag", 1216),
    user("Ravi Kumar", "ravik", 1219),
];

impl User {
    /// `alias@contoso.com`.
    pub(crate) fn upn(&self) -> String {
        format!("{}@{MAIL_DOMAIN}", self.alias)
    }

    /// The Entra ID object id.
    pub(crate) fn aad_id(&self) -> String {
        fingerprint::guid(&format!("aad-user:{}", self.alias))
    }

    /// The on-premises account SID.
    pub(crate) fn sid(&self) -> String {
        format!("{DOMAIN_SID}-{}", self.rid)
    }
}

/// One SOC analyst (an `assignedTo` and comment author).
#[derive(Debug)]
pub(crate) struct Analyst {
    pub display_name: &'static str,
    pub upn: &'static str,
}

/// The SOC team.
pub(crate) const ANALYSTS: &[Analyst] = &[
    Analyst {
        display_name: "Nora Castillo",
        upn: "nora.castillo@contoso.com",
    },
    Analyst {
        display_name: "Samir Okafor",
        upn: "samir.okafor@contoso.com",
    },
    Analyst {
        display_name: "Hannah Schmidt",
        upn: "hannah.schmidt@contoso.com",
    },
    Analyst {
        display_name: "Lucas Moreau",
        upn: "lucas.moreau@contoso.com",
    },
    Analyst {
        display_name: "Yuki Sato",
        upn: "yuki.sato@contoso.com",
    },
];

/// The `assignedTo` of alerts closed by Defender's automated investigation.
pub(crate) const AUTOMATION: &str = "Automation";
