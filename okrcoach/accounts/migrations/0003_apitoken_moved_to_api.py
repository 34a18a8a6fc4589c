# ApiToken moved to the api app. Only Django's idea of the model changes here: the table
# (accounts_apitoken) and its rows stay, and api.0001_initial takes the model over.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='ApiToken')],
            database_operations=[],
        ),
    ]
