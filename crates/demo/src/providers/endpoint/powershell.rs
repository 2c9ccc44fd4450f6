//! PowerShell `-EncodedCommand` arguments: Base64 of the script's UTF-16LE bytes, as attackers
//! (and Defender's command-line evidence) show them.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// The `-EncodedCommand` form of `script`.
pub(crate) fn encoded_command(script: &str) -> String {
    let bytes: Vec<u8> = script.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_powershell_encoding() {
        // [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes('whoami'))
        assert_eq!(encoded_command("whoami"), "dwBoAG8AYQBtAGkA");
        assert_eq!(encoded_command("ab"), "YQBiAA==");
        assert_eq!(encoded_command(""), "");
    }
}
