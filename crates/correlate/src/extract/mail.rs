//! Entities of mail and collaboration evidence: mailboxes, messages, submissions, mailbox
//! configurations and Teams messages (see the table in [`super`]).

use super::Sink;
use crate::normal;
use model::evidence::details::EmailSender;
use model::AlertEvidence;

/// Adds the entities of `item` when it is mail evidence; `false` when it is not.
pub(super) fn evidence(sink: &mut Sink, item: &AlertEvidence) -> bool {
    match item {
        AlertEvidence::Mailbox(m) => {
            sink.opt(&m.primary_address, normal::mailbox);
            sink.opt(&m.upn, normal::user_upn);
            if let Some(a) = &m.user_account {
                sink.account(a);
            }
        }
        AlertEvidence::AnalyzedMessage(m) => {
            sink.opt(&m.recipient_email_address, normal::mailbox);
            for s in [&m.p1_sender, &m.p2_sender].into_iter().flatten() {
                sender(sink, s);
            }
            sink.opt(&m.sender_ip, normal::ip);
            m.urls.iter().for_each(|u| sink.url(u));
        }
        AlertEvidence::SubmissionMail(m) => {
            sink.opt(&m.recipient, normal::mailbox);
            sink.opt(&m.sender, normal::mailbox);
            sink.opt(&m.sender_ip, normal::ip);
        }
        AlertEvidence::MailboxConfiguration(m) => {
            sink.opt(&m.mailbox_primary_address, normal::mailbox);
            sink.opt(&m.upn, normal::user_upn);
        }
        AlertEvidence::TeamsMessage(m) => {
            sink.opt(&m.sender_from_address, normal::mailbox);
            sink.opt(&m.sender_ip, normal::ip);
            for u in m.urls.iter().filter_map(|u| u.url.as_ref()) {
                sink.url(u);
            }
            for details in m.files.iter().filter_map(|f| f.file_details.as_ref()) {
                sink.file(details);
            }
        }
        _ => return false,
    }
    true
}

fn sender(sink: &mut Sink, s: &EmailSender) {
    sink.opt(&s.email_address, normal::mailbox);
    sink.opt(&s.domain_name, normal::domain);
}
