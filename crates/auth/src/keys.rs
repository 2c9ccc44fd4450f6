//! Token signing keys: RS256 with RSA 2048, identified by a `kid` derived from the public key, kept
//! in the store as PKCS#8 so every node of a deployment signs with the same key.
//!
//! Rotation is the store's business: a newer key becomes the one that signs while older ones stay
//! published in the JWKS ([`jwks`]) and accepted by the verifier until they are retired.

use crate::error::AuthError;
use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::{KeyPair, KeySize};
use aws_lc_rs::signature::{
    KeyPair as _, RsaPublicKeyComponents, RSA_PKCS1_2048_8192_SHA256, RSA_PKCS1_SHA256,
};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::fmt;
use std::sync::Arc;

/// The only signing algorithm issued and accepted.
pub const ALGORITHM: &str = "RS256";
/// Characters of the RFC 7638 thumbprint kept as the `kid`.
const KID_CHARS: usize = 16;
const PEM_BEGIN: &str = "-----BEGIN PRIVATE KEY-----";
const PEM_END: &str = "-----END PRIVATE KEY-----";

/// An RSA private key that signs tokens (cheap to clone: the key is shared).
#[derive(Clone)]
pub struct SigningKey {
    /// The key id written in each token's header: the first 16 characters of the public key's
    /// RFC 7638 JWK thumbprint (SHA-256, base64url).
    pub kid: String,
    inner: Arc<Inner>,
}

struct Inner {
    pair: KeyPair,
    pkcs8: Vec<u8>,
    public: PublicKey,
    rng: SystemRandom,
}

impl SigningKey {
    /// A new RSA 2048 key (tens to hundreds of milliseconds of CPU).
    pub fn generate() -> Result<SigningKey, AuthError> {
        let pair = KeyPair::generate(KeySize::Rsa2048).map_err(|_| AuthError::KeyGeneration)?;
        let pkcs8 = pair
            .as_der()
            .map_err(|_| AuthError::KeyGeneration)?
            .as_ref()
            .to_vec();
        Ok(SigningKey::from_pair(pair, pkcs8))
    }

    /// Loads a key from its storage form ([`to_pkcs8_der`](SigningKey::to_pkcs8_der)).
    pub fn from_pkcs8_der(der: &[u8]) -> Result<SigningKey, AuthError> {
        let pair = KeyPair::from_pkcs8(der).map_err(|e| AuthError::InvalidKey(e.to_string()))?;
        if pair.public_modulus_len() < 256 {
            return Err(AuthError::InvalidKey(
                "RSA keys shorter than 2048 bits are refused".into(),
            ));
        }
        Ok(SigningKey::from_pair(pair, der.to_vec()))
    }

    /// The unencrypted PKCS#8 DER encoding (secret: store it, never log it).
    pub fn to_pkcs8_der(&self) -> &[u8] {
        &self.inner.pkcs8
    }

    /// The PKCS#8 key as PEM text (`-----BEGIN PRIVATE KEY-----`), the form the store keeps.
    pub fn to_pem(&self) -> String {
        let body = STANDARD.encode(&self.inner.pkcs8);
        let mut pem = String::with_capacity(body.len() + body.len() / 64 + 64);
        pem.push_str(PEM_BEGIN);
        pem.push('\n');
        for line in body.as_bytes().chunks(64) {
            pem.push_str(&String::from_utf8_lossy(line));
            pem.push('\n');
        }
        pem.push_str(PEM_END);
        pem.push('\n');
        pem
    }

    /// Loads a key from [`to_pem`](SigningKey::to_pem)'s output.
    pub fn from_pem(pem: &str) -> Result<SigningKey, AuthError> {
        let body = pem
            .trim()
            .strip_prefix(PEM_BEGIN)
            .and_then(|rest| rest.strip_suffix(PEM_END))
            .ok_or_else(|| AuthError::InvalidKey("not a PEM 'PRIVATE KEY' block".into()))?;
        let b64: String = body.split_whitespace().collect();
        let der = STANDARD
            .decode(b64)
            .map_err(|e| AuthError::InvalidKey(format!("bad PEM body: {e}")))?;
        SigningKey::from_pkcs8_der(&der)
    }

    /// The public half, as published and used to verify.
    pub fn public_key(&self) -> &PublicKey {
        &self.inner.public
    }

    /// An RS256 (PKCS#1 v1.5, SHA-256) signature of `message`.
    pub(crate) fn sign(&self, message: &[u8]) -> Result<Vec<u8>, AuthError> {
        let mut signature = vec![0u8; self.inner.pair.public_modulus_len()];
        self.inner
            .pair
            .sign(&RSA_PKCS1_SHA256, &self.inner.rng, message, &mut signature)
            .map_err(|_| AuthError::Signing)?;
        Ok(signature)
    }

    fn from_pair(pair: KeyPair, pkcs8: Vec<u8>) -> SigningKey {
        let public = pair.public_key();
        let public = PublicKey::new(
            public.modulus().big_endian_without_leading_zero().to_vec(),
            public.exponent().big_endian_without_leading_zero().to_vec(),
        );
        SigningKey {
            kid: public.kid.clone(),
            inner: Arc::new(Inner {
                pair,
                pkcs8,
                public,
                rng: SystemRandom::new(),
            }),
        }
    }
}

impl fmt::Debug for SigningKey {
    /// The kid only: the private key never reaches a log.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

/// An RSA public key: what verifies tokens and what the JWKS publishes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKey {
    /// The key id (see [`SigningKey::kid`]).
    pub kid: String,
    n: Vec<u8>,
    e: Vec<u8>,
}

impl PublicKey {
    /// A key from its modulus and exponent (big-endian, no leading zeros); the kid is derived.
    pub fn new(n: Vec<u8>, e: Vec<u8>) -> PublicKey {
        let kid = thumbprint(&n, &e).chars().take(KID_CHARS).collect();
        PublicKey { kid, n, e }
    }

    /// The JWK: `{"kty":"RSA","use":"sig","kid","n","e","alg":"RS256"}`.
    pub fn jwk(&self) -> Value {
        json!({
            "kty": "RSA",
            "use": "sig",
            "kid": self.kid,
            "n": URL_SAFE_NO_PAD.encode(&self.n),
            "e": URL_SAFE_NO_PAD.encode(&self.e),
            "alg": ALGORITHM,
        })
    }

    /// Whether `signature` is this key's RS256 signature of `message`.
    pub(crate) fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        let key = RsaPublicKeyComponents {
            n: &self.n[..],
            e: &self.e[..],
        };
        key.verify(&RSA_PKCS1_2048_8192_SHA256, message, signature)
            .is_ok()
    }
}

/// The JSON Web Key Set publishing `keys` (served at `/{tenant}/discovery/v2.0/keys`):
/// `{"keys":[{kty,use,kid,n,e,alg}, ...]}` in the order given.
pub fn jwks(keys: &[SigningKey]) -> Value {
    json!({ "keys": keys.iter().map(|k| k.public_key().jwk()).collect::<Vec<_>>() })
}

/// The RFC 7638 JWK thumbprint of an RSA key (SHA-256 over the canonical `{"e","kty","n"}` JSON).
fn thumbprint(n: &[u8], e: &[u8]) -> String {
    let canonical = format!(
        r#"{{"e":"{}","kty":"RSA","n":"{}"}}"#,
        URL_SAFE_NO_PAD.encode(e),
        URL_SAFE_NO_PAD.encode(n)
    );
    URL_SAFE_NO_PAD.encode(Sha256::digest(canonical.as_bytes()))
}
