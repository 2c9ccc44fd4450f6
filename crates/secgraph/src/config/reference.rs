//! `secgraph config print-default`: the configuration file of every key with its default, each
//! key under its doc comment. Derived from the types, so it cannot drift from them: the keys, their
//! order and their comments come from [`Config`]'s JSON schema (its doc comments), the values from
//! [`Config::default`] (keys unset by default are printed commented out), and the `[correlation]`
//! section's defaults from `correlate::Config::default()`. The output parses back into the
//! default configuration.

use super::Config;
use anyhow::Context;
use clap::{Args, Subcommand};
use serde_json::Value;

/// `secgraph config`.
#[derive(Debug, Args)]
pub struct ConfigArgs {
    #[command(subcommand)]
    pub command: ConfigCommand,
}

/// What `secgraph config` does.
#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print a complete configuration file: every key with its default and what it means.
    PrintDefault,
}

/// Runs `secgraph config`.
pub fn run(args: &ConfigArgs) -> anyhow::Result<()> {
    match args.command {
        ConfigCommand::PrintDefault => print!("{}", default_file()?),
    }
    Ok(())
}

/// Longest comment line.
const WIDTH: usize = 100;

/// The commented TOML file of every key with its default.
pub fn default_file() -> anyhow::Result<String> {
    let schema = serde_json::to_value(schemars::schema_for!(Config))?;
    let properties = schema
        .get("properties")
        .and_then(Value::as_object)
        .context("the configuration's schema lists no keys")?;
    let defaults = toml::Value::try_from(Config::default())?;
    let defaults = defaults
        .as_table()
        .context("the default configuration is not a table")?;
    let mut out = String::from(
        "# secgraph configuration: every key with its default (`secgraph config print-default`).\n\
         # Layering: these defaults < this file (--config) < SECGRAPH_<KEY> environment < flags.\n\n",
    );
    let mut sections = String::new();
    for (key, property) in properties {
        let doc = property.get("description").and_then(Value::as_str);
        let doc = doc.with_context(|| format!("the key `{key}` has no doc comment"))?;
        match defaults.get(key) {
            Some(toml::Value::Table(_)) if key == "correlation" => {
                comment(&mut sections, doc);
                let defaults = toml::Value::try_from(correlate::Config::default())?;
                sections.push_str(&section(key, defaults, "docs/correlation.md")?);
            }
            Some(table @ toml::Value::Table(_)) if key == "throttle" => {
                comment(&mut sections, doc);
                sections.push_str(&section(key, table.clone(), "docs/throttling.md")?);
            }
            Some(toml::Value::Table(_)) => anyhow::bail!("the section `{key}` has no renderer"),
            Some(value) => {
                comment(&mut out, doc);
                out.push_str(&format!("{key} = {value}\n\n"));
            }
            None => {
                comment(&mut out, doc);
                out.push_str(&format!("# Unset by default.\n# {key} = \n\n"));
            }
        }
    }
    out.push_str(&sections);
    Ok(out)
}

/// The section `[key]` with its `defaults` commented out (an empty section means them; `page`
/// describes each key).
fn section(key: &str, defaults: toml::Value, page: &str) -> anyhow::Result<String> {
    let mut wrapper = toml::map::Map::new();
    wrapper.insert(key.to_owned(), defaults);
    let text = toml::to_string(&toml::Value::Table(wrapper))?;
    let header = format!("[{key}]");
    let mut out =
        format!("# The defaults below apply to every key left out (see {page}).\n{header}\n");
    for line in text.lines().filter(|l| l.trim() != header) {
        match line.is_empty() {
            true => out.push('\n'),
            false => out.push_str(&format!("# {line}\n")),
        }
    }
    Ok(out)
}

/// Appends `doc` as `# ` lines wrapped at [`WIDTH`].
fn comment(out: &mut String, doc: &str) {
    for paragraph in doc.split("\n\n") {
        let mut line = String::from("#");
        for word in paragraph.split_whitespace() {
            if line.len() + 1 + word.len() > WIDTH && line.len() > 1 {
                out.push_str(&line);
                out.push('\n');
                line = String::from("#");
            }
            line.push(' ');
            line.push_str(word);
        }
        out.push_str(&line);
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use figment::providers::{Format, Serialized, Toml};
    use figment::Figment;

    /// The printed file, read the way `--config FILE` is read.
    fn parsed() -> Config {
        let text = default_file().unwrap();
        Figment::from(Serialized::defaults(Config::default()))
            .merge(Toml::string(&text))
            .extract()
            .unwrap_or_else(|e| panic!("{e}\n{text}"))
    }

    #[test]
    fn the_printed_defaults_parse_back_into_the_default_configuration() {
        assert_eq!(
            serde_json::to_value(parsed()).unwrap(),
            serde_json::to_value(Config::default()).unwrap()
        );
        // Also on its own (no defaults underneath): every key without a default is printed.
        let alone: Result<Config, _> = Figment::new()
            .merge(Toml::string(&default_file().unwrap()))
            .extract();
        let alone = alone.unwrap();
        assert_eq!(
            serde_json::to_value(alone).unwrap(),
            serde_json::to_value(Config::default()).unwrap()
        );
    }

    #[test]
    fn every_key_of_the_configuration_is_printed_under_a_comment() {
        let text = default_file().unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let keys = serde_json::to_value(Config::default()).unwrap();
        for key in keys.as_object().unwrap().keys() {
            let at = lines
                .iter()
                .position(|l| {
                    l.starts_with(&format!("{key} = "))
                        || l.starts_with(&format!("# {key} = "))
                        || *l == format!("[{key}]")
                })
                .unwrap_or_else(|| panic!("`{key}` is not printed:\n{text}"));
            assert!(
                at > 0 && lines[at - 1].starts_with("# "),
                "`{key}` has no comment above it:\n{text}"
            );
        }
        assert!(text.contains("log_format = \"text\""), "{text}");
        assert!(text.contains("# metrics_listen = "), "{text}");
        assert!(text.contains("# window = "), "{text}");
    }
}
