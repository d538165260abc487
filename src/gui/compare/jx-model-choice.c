/* jx-model-choice.c — one entry of the model picker: a provider's model and its title
 *
 * Copyright 2026 Juxta developers
 *
 * This program is free software: you can redistribute it and/or modify
 * it under the terms of the GNU General Public License as published by
 * the Free Software Foundation, either version 3 of the License, or
 * (at your option) any later version.
 *
 * This program is distributed in the hope that it will be useful,
 * but WITHOUT ANY WARRANTY; without even the implied warranty of
 * MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the
 * GNU General Public License for more details.
 *
 * You should have received a copy of the GNU General Public License
 * along with this program.  If not, see <http://www.gnu.org/licenses/>.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "jx-model-choice.h"

struct _JxModelChoice
{
  GObject  parent_instance;

  char    *provider_id;
  char    *model;
  char    *title;     /* "model · Provider", what the picker shows and searches */
};

G_DEFINE_FINAL_TYPE (JxModelChoice, jx_model_choice, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PROVIDER_ID,
  PROP_MODEL,
  PROP_TITLE,
  N_PROPS,
};

static GParamSpec *properties[N_PROPS];

/**
 * jx_model_choice_format_title:
 * @provider: (nullable): the provider, for its name
 * @provider_id: the provider id, shown when @provider is %NULL
 * @model: the model id
 *
 * Returns: (transfer full): "model · Provider" for people
 */
char *
jx_model_choice_format_title (JxProvider *provider,
                              const char *provider_id,
                              const char *model)
{
  /* Translators: a model and its provider, e.g. “gpt-4o · OpenAI”; the model comes first
   * because it is what differs between panes and a narrow picker cuts off the end. */
  return g_strdup_printf (_("%s · %s"), model,
                          provider != NULL && provider->name != NULL ? provider->name : provider_id);
}

/**
 * jx_model_choice_new:
 * @provider: (nullable): the provider, for its name
 * @provider_id: the provider id
 * @model: the model id
 *
 * Returns: (transfer full): a new #JxModelChoice
 */
JxModelChoice *
jx_model_choice_new (JxProvider *provider,
                     const char *provider_id,
                     const char *model)
{
  JxModelChoice *self;

  g_return_val_if_fail (provider_id != NULL, NULL);
  g_return_val_if_fail (model != NULL, NULL);

  self = g_object_new (JX_TYPE_MODEL_CHOICE, NULL);
  self->provider_id = g_strdup (provider_id);
  self->model = g_strdup (model);
  self->title = jx_model_choice_format_title (provider, provider_id, model);

  return self;
}

const char *
jx_model_choice_get_provider_id (JxModelChoice *self)
{
  g_return_val_if_fail (JX_IS_MODEL_CHOICE (self), NULL);
  return self->provider_id;
}

const char *
jx_model_choice_get_model (JxModelChoice *self)
{
  g_return_val_if_fail (JX_IS_MODEL_CHOICE (self), NULL);
  return self->model;
}

const char *
jx_model_choice_get_title (JxModelChoice *self)
{
  g_return_val_if_fail (JX_IS_MODEL_CHOICE (self), NULL);
  return self->title;
}

gboolean
jx_model_choice_matches (JxModelChoice *self,
                         const char    *provider_id,
                         const char    *model)
{
  g_return_val_if_fail (JX_IS_MODEL_CHOICE (self), FALSE);
  return g_strcmp0 (self->provider_id, provider_id) == 0 && g_strcmp0 (self->model, model) == 0;
}

static void
jx_model_choice_finalize (GObject *object)
{
  JxModelChoice *self = JX_MODEL_CHOICE (object);

  g_free (self->provider_id);
  g_free (self->model);
  g_free (self->title);

  G_OBJECT_CLASS (jx_model_choice_parent_class)->finalize (object);
}

static void
jx_model_choice_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  JxModelChoice *self = JX_MODEL_CHOICE (object);

  switch (prop_id)
    {
    case PROP_PROVIDER_ID:
      g_value_set_string (value, self->provider_id);
      break;

    case PROP_MODEL:
      g_value_set_string (value, self->model);
      break;

    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jx_model_choice_class_init (JxModelChoiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = jx_model_choice_finalize;
  object_class->get_property = jx_model_choice_get_property;

  properties[PROP_PROVIDER_ID] =
    g_param_spec_string ("provider-id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MODEL] =
    g_param_spec_string ("model", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
jx_model_choice_init (JxModelChoice *self)
{
}
