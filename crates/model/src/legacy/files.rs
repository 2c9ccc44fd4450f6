//! `fileStates` ↔ `fileEvidence` and `processes` ↔ `processEvidence`.
//!
//! A legacy file state carries one hash, evidence carries up to three: a file becomes one
//! `fileStates` item per hash it has (SHA-256, SHA-1, MD5 in that order; one item without a hash
//! when it has none), and legacy items with the same name and path merge into one file.
//!
//! | legacy | evidence |
//! |---|---|
//! | `fileStates/name`, `path` | `fileDetails/fileName`, `filePath` |
//! | `fileStates/fileHash` | `fileDetails/sha256`, `sha1`, `md5` |
//! | `processes/name`, `path`, `fileHash` | `imageFile/fileName`, `filePath`, first hash |
//! | `processes/commandLine` | `processCommandLine` |
//! | `processes/createdDateTime` | `processCreationDateTime` |
//! | `processes/processId`, `parentProcessId` | `processId`, `parentProcessId` (when they fit Int32) |
//! | `processes/parentProcessCreatedDateTime` | `parentProcessCreationDateTime` |
//! | `processes/parentProcessName` | `parentProcessImageFile/fileName` |
//! | `processes/accountName` | `userAccount/accountName` |

use crate::evidence::details::{FileDetails, UserAccount};
use crate::evidence::endpoint::{FileEvidence, ProcessEvidence};
use crate::evidence::EvidenceBase;
use crate::legacy::enums::FileHashType;
use crate::legacy::states::{FileHash, FileSecurityState, Process};
use crate::open_enum::OpenEnum;

/// The hashes of a file, strongest first.
pub fn file_hashes(d: &FileDetails) -> Vec<FileHash> {
    let candidates = [
        (FileHashType::Sha256, &d.sha256),
        (FileHashType::Sha1, &d.sha1),
        (FileHashType::Md5, &d.md5),
    ];
    candidates
        .into_iter()
        .filter_map(|(ty, v)| {
            let value = v.as_ref().filter(|v| !v.is_empty())?;
            Some(FileHash {
                hash_type: Some(ty.into()),
                hash_value: Some(value.clone()),
                ..FileHash::default()
            })
        })
        .collect()
}

/// Stores a legacy hash in `d`; false when its type has no place in `fileDetails`.
pub fn set_file_hash(d: &mut FileDetails, h: &FileHash) -> bool {
    let slot = match h.hash_type.as_ref().and_then(OpenEnum::known) {
        Some(FileHashType::Sha256) => &mut d.sha256,
        Some(FileHashType::Sha1) => &mut d.sha1,
        Some(FileHashType::Md5) => &mut d.md5,
        _ => return false,
    };
    *slot = h.hash_value.clone();
    true
}

/// The `fileStates` items of a file.
pub fn file_states(f: &FileEvidence) -> Vec<FileSecurityState> {
    let details = f.file_details.clone().unwrap_or_default();
    let state = |file_hash| FileSecurityState {
        file_hash,
        name: details.file_name.clone(),
        path: details.file_path.clone(),
        ..FileSecurityState::default()
    };
    let hashes = file_hashes(&details);
    if hashes.is_empty() {
        return vec![state(None)];
    }
    hashes.into_iter().map(|h| state(Some(h))).collect()
}

/// The files that `fileStates` describe, merging items with the same name and path.
pub fn file_evidence(states: &[FileSecurityState], base: &EvidenceBase) -> Vec<FileEvidence> {
    let mut files: Vec<FileEvidence> = Vec::new();
    for s in states {
        let same = |f: &&mut FileEvidence| {
            f.file_details
                .as_ref()
                .is_some_and(|d| d.file_name == s.name && d.file_path == s.path)
        };
        let file = match files.iter_mut().find(same) {
            Some(f) => f,
            None => {
                let details = FileDetails {
                    file_name: s.name.clone(),
                    file_path: s.path.clone(),
                    ..FileDetails::default()
                };
                files.push(FileEvidence {
                    base: base.clone(),
                    file_details: Some(details),
                    ..FileEvidence::default()
                });
                let last = files.len() - 1;
                &mut files[last]
            }
        };
        if let (Some(h), Some(d)) = (&s.file_hash, file.file_details.as_mut()) {
            set_file_hash(d, h);
        }
    }
    files
}

/// The `processes` item of a process.
pub fn process(p: &ProcessEvidence) -> Process {
    let image = p.image_file.as_ref();
    Process {
        account_name: p.user_account.as_ref().and_then(|a| a.account_name.clone()),
        command_line: p.process_command_line.clone(),
        created_date_time: p.process_creation_date_time,
        file_hash: image.and_then(|d| file_hashes(d).into_iter().next()),
        name: image.and_then(|d| d.file_name.clone()),
        parent_process_created_date_time: p.parent_process_creation_date_time,
        parent_process_id: p.parent_process_id.and_then(|id| i32::try_from(id).ok()),
        parent_process_name: p
            .parent_process_image_file
            .as_ref()
            .and_then(|d| d.file_name.clone()),
        path: image.and_then(|d| d.file_path.clone()),
        process_id: p.process_id.and_then(|id| i32::try_from(id).ok()),
        ..Process::default()
    }
}

/// The process a `processes` item describes.
pub fn process_evidence(p: &Process, base: EvidenceBase) -> ProcessEvidence {
    let mut image = FileDetails {
        file_name: p.name.clone(),
        file_path: p.path.clone(),
        ..FileDetails::default()
    };
    if let Some(h) = &p.file_hash {
        set_file_hash(&mut image, h);
    }
    let parent = p.parent_process_name.as_ref().map(|name| FileDetails {
        file_name: Some(name.clone()),
        ..FileDetails::default()
    });
    let account = p.account_name.as_ref().map(|name| UserAccount {
        account_name: Some(name.clone()),
        ..UserAccount::default()
    });
    ProcessEvidence {
        base,
        image_file: Some(image),
        parent_process_creation_date_time: p.parent_process_created_date_time,
        parent_process_id: p.parent_process_id.map(i64::from),
        parent_process_image_file: parent,
        process_command_line: p.command_line.clone(),
        process_creation_date_time: p.created_date_time,
        process_id: p.process_id.map(i64::from),
        user_account: account,
        ..ProcessEvidence::default()
    }
}
