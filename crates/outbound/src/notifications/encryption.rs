//! Rich notifications (secgraph's extension for security resources): the `encryptedContent` of a
//! change notification, made the way Microsoft Graph makes it, so a Graph client's decryption code
//! works unchanged.
//!
//! For each notification a fresh random 32-byte key is drawn, then
//!
//! * `data`: the item's JSON encrypted with AES-256-CBC, PKCS#7 padding, the IV being the key's
//!   first 16 bytes (Graph's `AES/CBC/PKCS5PADDING`), base64;
//! * `dataSignature`: HMAC-SHA256 of the encrypted bytes, keyed with the key, base64;
//! * `dataKey`: the key encrypted with the subscription certificate's RSA public key, OAEP with
//!   SHA-1 and MGF1-SHA-1 (Graph's `RSA/ECB/OAEPWithSHA1AndMGF1Padding`), base64;
//! * `encryptionCertificateId` as the subscriber gave it, and `encryptionCertificateThumbprint`:
//!   the certificate's SHA-1 thumbprint in upper-case hexadecimal.
//!
//! The primitives are aws-lc-rs's (already the workspace's RSA implementation, see `auth::keys`);
//! the certificate is parsed with rustls-webpki, which reqwest's TLS already builds.

use aws_lc_rs::cipher::{EncryptionContext, PaddedBlockEncryptingKey, UnboundCipherKey, AES_256};
use aws_lc_rs::digest::{digest, SHA1_FOR_LEGACY_USE_ONLY};
use aws_lc_rs::hmac;
use aws_lc_rs::iv::FixedLength;
use aws_lc_rs::rsa::{OaepPublicEncryptingKey, PublicEncryptingKey, OAEP_SHA1_MGF1SHA1};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use rustls_pki_types::CertificateDer;
use serde_json::{json, Value};
use std::fmt;
use std::sync::Arc;

/// Shortest RSA key accepted, in bits.
pub const MIN_RSA_BITS: usize = 2048;

/// The RSA public key of a subscription's `encryptionCertificate`.
#[derive(Clone)]
pub struct EncryptionCertificate {
    key: Arc<OaepPublicEncryptingKey>,
    thumbprint: String,
}

impl fmt::Debug for EncryptionCertificate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EncryptionCertificate")
            .field("thumbprint", &self.thumbprint)
            .finish()
    }
}

impl EncryptionCertificate {
    /// Reads a base64 DER X.509 certificate (PEM armour and line breaks are tolerated) with an
    /// RSA public key of at least [`MIN_RSA_BITS`]. `Err`: what is wrong with it, in words for the
    /// subscriber.
    pub fn parse(text: &str) -> Result<EncryptionCertificate, String> {
        let body: String = text
            .lines()
            .filter(|l| !l.trim_start().starts_with("-----"))
            .flat_map(|l| l.chars().filter(|c| !c.is_whitespace()))
            .collect();
        let der = STANDARD
            .decode(body.as_bytes())
            .map_err(|e| format!("it is not base64 ({e})"))?;
        let cert_der = CertificateDer::from(der.as_slice());
        let cert = webpki::EndEntityCert::try_from(&cert_der)
            .map_err(|e| format!("it is not a DER X.509 certificate ({e:?})"))?;
        let spki = cert.subject_public_key_info();
        let public = PublicEncryptingKey::from_der(spki.as_ref())
            .map_err(|e| format!("its public key is not an RSA key ({e})"))?;
        if public.key_size_bits() < MIN_RSA_BITS {
            return Err(format!(
                "its RSA key has {} bits; use at least {MIN_RSA_BITS}",
                public.key_size_bits()
            ));
        }
        let key = OaepPublicEncryptingKey::new(public)
            .map_err(|_| "its RSA key cannot encrypt with OAEP".to_owned())?;
        Ok(EncryptionCertificate {
            key: Arc::new(key),
            thumbprint: hex_upper(digest(&SHA1_FOR_LEGACY_USE_ONLY, &der).as_ref()),
        })
    }

    /// The certificate's SHA-1 thumbprint, upper-case hexadecimal (as Graph sends it).
    pub fn thumbprint(&self) -> &str {
        &self.thumbprint
    }

    /// The `encryptedContent` of `data` (the item's JSON) under a fresh key.
    pub fn encrypt(&self, certificate_id: &str, data: &[u8]) -> Result<Value, String> {
        let fail = |what: &str| format!("encrypting the resource data failed: {what}");
        let mut key = [0u8; 32];
        aws_lc_rs::rand::fill(&mut key).map_err(|_| fail("no randomness"))?;
        let mut iv = [0u8; 16];
        iv.copy_from_slice(&key[..16]);
        let aes = UnboundCipherKey::new(&AES_256, &key).map_err(|_| fail("AES key"))?;
        let aes = PaddedBlockEncryptingKey::cbc_pkcs7(aes).map_err(|_| fail("AES-CBC"))?;
        let mut encrypted = data.to_vec();
        aes.less_safe_encrypt(
            &mut encrypted,
            EncryptionContext::Iv128(FixedLength::from(iv)),
        )
        .map_err(|_| fail("AES-CBC"))?;
        let mac = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, &key), &encrypted);
        let mut wrapped = vec![0u8; self.key.ciphertext_size()];
        let wrapped = self
            .key
            .encrypt(&OAEP_SHA1_MGF1SHA1, &key, &mut wrapped, None)
            .map_err(|_| fail("RSA-OAEP"))?;
        Ok(json!({
            "data": STANDARD.encode(&encrypted),
            "dataSignature": STANDARD.encode(mac.as_ref()),
            "dataKey": STANDARD.encode(wrapped),
            "encryptionCertificateId": certificate_id,
            "encryptionCertificateThumbprint": self.thumbprint,
        }))
    }
}

fn hex_upper(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_not_an_rsa_certificate_is_refused_with_the_reason() {
        let not_base64 = EncryptionCertificate::parse("not base64!").unwrap_err();
        assert!(not_base64.contains("base64"), "{not_base64}");
        let not_cert = EncryptionCertificate::parse(&STANDARD.encode(b"hello")).unwrap_err();
        assert!(not_cert.contains("X.509"), "{not_cert}");
    }
}
